"""`tuijin import-progress FILE --period YYYY-MM --unit CODE [--as USERNAME] [--dry-run] [--json]` (二(七)20).

Validates the whole file and, when there is no error, commits it in one transaction
(reporting.importing). Prints a Chinese report (errors as ``第N行 列名：原因``,
warnings, summary) or, with ``--json``, the same JSON as the API. Exit status 0 when
the file is clean, 1 when it has errors. A progress bar goes to stderr on a terminal.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.errors import ApplicationError
from tuijin.orgs.models import User
from tuijin.reporting.importing import ImportResult, import_progress

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "导入单位月度进展（Excel）：先校验全部数据，无错误时一次写入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="填好的 .xlsx 文件")
        parser.add_argument("--period", required=True, help="报送期，YYYY-MM（如 2022-07）")
        parser.add_argument("--unit", required=True, help="报送单位代码（如 jinshui）")
        parser.add_argument("--as", dest="username", default="",
                            help="以该用户的身份和权限范围导入（省略时以系统身份导入）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        user = None
        if options["username"]:
            user = User.objects.filter(username=options["username"], is_active=True).select_related("org").first()
            if user is None:
                self._refuse(f"用户“{options['username']}”不存在或已停用", as_json)
        path = Path(options["file"])
        if not path.is_file():
            self._refuse(f"文件 {path} 不存在", as_json)
        bar = _ProgressBar(self.stderr) if self.stderr.isatty() and not as_json else None
        try:
            with audit_context(source="cli", actor=user, reason=f"导入月度进展 {path.name}"):
                result = import_progress(actor=user, path=path, period_code=options["period"],
                                         unit_code=options["unit"], dry_run=options["dry_run"],
                                         progress=bar, filename=path.name)
        except ApplicationError as exc:
            self._refuse(exc.message, as_json)
        finally:
            if bar is not None:
                bar.close()
        self._print(result, as_json)
        if not result.ok:
            raise CommandError(f"导入未通过：共 {result.error_count} 处错误，未写入任何数据", returncode=1)

    def _print(self, result: ImportResult, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        for line in result.report_lines():
            self.stdout.write(line)

    def _refuse(self, message: str, as_json: bool) -> None:
        if as_json:
            body = {"ok": False, "errors": [{"sheet": None, "row": None, "column": None, "message": message}],
                    "warnings": [], "summary": {}}
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
        raise CommandError(message, returncode=1)


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
