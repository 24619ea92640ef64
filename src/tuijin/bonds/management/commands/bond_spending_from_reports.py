"""`tuijin bond-spending-from-reports --year 2022 --month 6 [--as USER]`: a month's bond spending from
the approved monthly reports, for bond projects without a ledger row that month (二(二)8、二(七)20)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.bonds import selectors, services
from tuijin.orgs import policy
from tuijin.orgs.commands import acting_user
from tuijin.orgs.models import User
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "按已审核的月度进展报告填写专项债券项目当月支出（台账已有的月份不变）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True)
        parser.add_argument("--month", required=True)
        parser.add_argument("--as", dest="username", default="fgw", help="执行的用户（须为市发展改革委管理员）")

    def handle(self, *args: Any, **options: Any) -> None:
        user: User | None = acting_user(options["username"])
        try:
            year, month = selectors.check_year_month(user=policy.acting(user), year=options["year"],
                                                     month=options["month"])
            with audit_context(source="cli", actor=user, reason="bond-spending-from-reports"):
                n = services.spending_from_reports(actor=user, year=year, month=month)
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        self.stdout.write(f"{year}年{month}月：按已审核月报填写专项债券支出 {n} 条")
