"""`tuijin import-progress FILE --period YYYY-MM --unit CODE [--as USERNAME] [--dry-run] [--json]` (二(七)20).

Validates the whole file and, when there is no error, commits it in one transaction
(reporting.importing). Prints a Chinese report (errors as ``第N行 列名：原因``,
warnings, summary) or, with ``--json``, the same JSON as the API. Exit status 0 when
the file is clean, 1 when it has errors. A progress bar goes to stderr on a terminal.
The door is the upload pipeline's (tuijin.jobs.importcommand).
"""

from __future__ import annotations

from django.core.management.base import CommandParser

from tuijin.jobs.importcommand import ImportCommand
from tuijin.reporting.importing import PROGRESS


class Command(ImportCommand):
    help = "导入单位月度进展（Excel）：先校验全部数据，无错误时一次写入"
    importer = PROGRESS
    file_help = "填好的 .xlsx 文件"

    def add_params(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="报送期，YYYY-MM（如 2022-07）")
        parser.add_argument("--unit", required=True, help="报送单位代码（如 jinshui）")
