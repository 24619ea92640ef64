"""`tuijin import-stats FILE --period YYYY-MM [--as USERNAME] [--dry-run] [--json]` (DESIGN §4.6).

Validates the statistics bureau's sheet (单位代码、指标、本年累计（万元）、同比增长（%）[、期间])
and, when there is no error, stores it in one transaction (stats.importing). ``--period`` is the
month of rows without a ``期间`` of their own, so earlier periods (baselines) import the same
way. Prints a Chinese report (errors as ``第N行 列名：原因``, warnings, summary) or, with
``--json``, the same JSON as the API. Exit status 0 when the file is clean, 1 otherwise.
The door is the upload pipeline's (tuijin.jobs.importcommand).
"""

from __future__ import annotations

from django.core.management.base import CommandParser

from tuijin.jobs.importcommand import ImportCommand
from tuijin.stats.importing import STATS


class Command(ImportCommand):
    help = "导入官方统计数据（统计局月度固定资产投资，Excel）：先校验全部数据，无错误时一次写入"
    importer = STATS
    file_help = ".xlsx 文件，列：单位代码、指标、本年累计（万元）、同比增长（%%）[、期间]"
    as_help = "以该用户的身份导入（须为统计局或市发展改革委用户；省略时以系统身份导入）"

    def add_params(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True,
                            help="统计期间 YYYY-MM（如 2022-06）；文件中有“期间”列的行以该列为准")
