"""`tuijin audit-purge --before YYYY-MM-DD`: delete audit entries older than the retention (≥180 days)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tuijin.audit.chain import purge_before
from tuijin.audit.context import audit_context
from tuijin.toolkit import fields
from tuijin.toolkit.errors import ApplicationError, ValidationFailed


class Command(BaseCommand):
    help = "清理早于指定日期的审计日志；不足180天的记录拒绝清理（网络安全法第二十一条）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, help="清理此日期（YYYY-MM-DD）之前的记录")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = fields.date(options["before"], field="before", message="--before 应为 YYYY-MM-DD")
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        cutoff = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        try:
            with audit_context(source="cli", reason="tuijin audit-purge"):
                n = purge_before(cutoff=cutoff)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已清理 {day} 之前的审计日志 {n} 条。")
