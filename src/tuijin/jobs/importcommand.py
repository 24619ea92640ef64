"""The command-line door of the upload pipeline (:mod:`tuijin.jobs.uploads`): every ``tuijin import-*``.

A command names its importer and adds the importer's own options; this base gives ``FILE``,
``--as USER``, ``--dry-run`` and ``--json``, the acting user, the audit context (source ``cli``), a
progress bar on a terminal, the Chinese report or the JSON of every door, and the exit status
(0 clean, 1 otherwise)::

    class Command(ImportCommand):
        importer = STATS
        help = "导入官方统计数据……"

        def add_params(self, parser):
            parser.add_argument("--period", required=True, help="统计期间 YYYY-MM")
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.orgs.models import User
from tuijin.toolkit.errors import ApplicationError
from tuijin.toolkit.spreadsheets import ImportIssues, refusal

from . import uploads

BAR_WIDTH = 30


class ImportCommand(BaseCommand):
    #: The import this command runs.
    importer: uploads.Importer
    #: Help text of ``FILE`` and of ``--as`` (who may import differs per importer).
    file_help = ".xlsx 文件"
    as_help = "以该用户的身份和权限范围导入（省略时以系统身份导入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=self.file_help)
        self.add_params(parser)
        self.add_common_arguments(parser)

    def add_params(self, parser: CommandParser) -> None:
        """The importer's own options; their ``dest`` are the names in ``importer.params``."""

    def add_common_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", default="", help=self.as_help)
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        user, path = self.actor_and_file(options)
        bar = _ProgressBar(self.stderr) if self.stderr.isatty() and not as_json else None
        importer = self.importer
        try:
            with audit_context(source="cli", actor=user, reason=importer.audit_reason(path.name)):
                result = uploads.import_file(importer, actor=user, path=path, dry_run=options["dry_run"],
                                             filename=path.name, progress=bar,
                                             **{name: options[name] for name in importer.params})
        except ApplicationError as exc:
            self.refuse(exc.message, as_json)
        finally:
            if bar is not None:
                bar.close()
        self.finish(result, as_json)

    def actor_and_file(self, options: dict[str, Any]) -> tuple[User | None, Path]:
        """The acting user (None: the system) and the file, or a refusal naming what is wrong."""
        user = None
        if options["username"]:
            user = User.objects.filter(username=options["username"], is_active=True).select_related("org").first()
            if user is None:
                self.refuse(f"用户“{options['username']}”不存在或已停用", options["json"])
        path = Path(options["file"])
        if not path.is_file():
            self.refuse(f"文件 {path} 不存在", options["json"])
        return user, path

    def finish(self, result: ImportIssues, as_json: bool) -> None:
        """Print the report (or the JSON) and exit non-zero when the file had errors."""
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            for line in result.report_lines():
                self.stdout.write(line)
        if not result.ok:
            raise CommandError(f"导入未通过：共 {result.error_count} 处错误，未写入任何数据", returncode=1)

    def refuse(self, message: str, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(refusal(message), ensure_ascii=False, indent=2))
        raise CommandError(message, returncode=1)


def _plain(text: str) -> str:
    return text  # stderr is styled as errors by default; the bar is not an error


class _ProgressBar:
    """A carriage-return progress bar on a terminal: `导入进度 [#####-----]  50%  5000/10000`.

    Only an importer that reports progress (``progress(done, total)``) draws it."""

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
