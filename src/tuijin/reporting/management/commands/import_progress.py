"""`tuijin import-progress FILE --period YYYY-MM --unit CODE [--as USERNAME] [--dry-run] [--json]` (二(七)20).

Validates the whole file and, when there is no error, commits it in one transaction
(reporting.importing). Prints a Chinese report (errors as ``第N行 列名：原因``,
warnings, summary) or, with ``--json``, the same JSON as the API. Exit status 0 when
the file is clean, 1 when it has errors. A progress bar goes to stderr on a terminal.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandParser

from tuijin.audit.context import audit_context
from tuijin.importcommand import ImportCommand
from tuijin.reporting.importing import import_progress
from tuijin.toolkit.errors import ApplicationError

BAR_WIDTH = 30


class Command(ImportCommand):
    help = "导入单位月度进展（Excel）：先校验全部数据，无错误时一次写入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="填好的 .xlsx 文件")
        parser.add_argument("--period", required=True, help="报送期，YYYY-MM（如 2022-07）")
        parser.add_argument("--unit", required=True, help="报送单位代码（如 jinshui）")
        self.add_common_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        user, path = self.actor_and_file(options)
        bar = _ProgressBar(self.stderr) if self.stderr.isatty() and not as_json else None
        try:
            with audit_context(source="cli", actor=user, reason=f"导入月度进展 {path.name}"):
                result = import_progress(actor=user, path=path, period_code=options["period"],
                                         unit_code=options["unit"], dry_run=options["dry_run"],
                                         progress=bar, filename=path.name)
        except ApplicationError as exc:
            self.refuse(exc.message, as_json)
        finally:
            if bar is not None:
                bar.close()
        self.finish(result, as_json)


def _plain(text: str) -> str:
    return text  # stderr is styled as errors by default; the bar is not an error


class _ProgressBar:
    """A carriage-return progress bar on a terminal: `导入进度 [#####-----]  50%  5000/10000`."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        fraction = done / total if total else 1.0
        filled = int(BAR_WIDTH * fraction)
        self.out.write(f"\r导入进度 [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {fraction:4.0%} {done}/{total}",
                       style_func=_plain, ending="")
        self.out.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.out.write("", style_func=_plain, ending="\n")
