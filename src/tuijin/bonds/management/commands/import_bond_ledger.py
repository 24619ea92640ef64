"""`tuijin import-bond-ledger FILE [--as USER] [--dry-run] [--json]`: the bond ledger (专项债券支出台账).

Columns 项目代码、月份（YYYY-MM）、本月支出（万元）; every row is validated first, every error is
listed (``第N行 列名：原因``) and nothing is written when there is one. The door is the upload
pipeline's (tuijin.jobs.importcommand).
"""

from __future__ import annotations

from tuijin.bonds.importing import LEDGER
from tuijin.jobs.importcommand import ImportCommand


class Command(ImportCommand):
    help = "导入专项债券资金支出台账（全部校验通过才写入）"
    importer = LEDGER
    as_help = "以该用户的身份和权限范围导入（报送单位只能导入本单位项目）"
