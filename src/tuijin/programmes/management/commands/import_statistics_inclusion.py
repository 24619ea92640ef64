"""`tuijin import-statistics-inclusion FILE [--as USER] [--dry-run] [--json]` (二(七)19).

The statistics bureau's list of included projects (列：项目代码［、入库日期］): every row is checked,
every error listed as ``第N行 列名：原因``; a clean file marks the projects included in one transaction.
The door is the upload pipeline's (tuijin.jobs.importcommand)."""

from __future__ import annotations

from tuijin.jobs.importcommand import ImportCommand
from tuijin.programmes.importing import INCLUSION


class Command(ImportCommand):
    help = "导入统计局入库纳统名单（Excel：项目代码、入库日期）：先校验全部数据，无错误时一次写入"
    importer = INCLUSION
    file_help = ".xlsx 文件，列：项目代码［、入库日期］"
    as_help = "以该用户的身份导入（须为统计局或市发展改革委用户；省略时以系统身份导入）"
