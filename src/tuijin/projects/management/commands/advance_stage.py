"""`tuijin advance-stage PROJECT_ID --to STAGE --as USER [--reason …]`: a stage move from the command line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tuijin.audit.context import audit_context
from tuijin.orgs.models import User
from tuijin.projects import rules, services
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "项目阶段流转（储备库→拟开工库→在建库→竣工库，或取消）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("project_id", type=int)
        parser.add_argument("--to", required=True, choices=list(rules.STAGE_LABELS))
        parser.add_argument("--as", dest="username", required=True)
        parser.add_argument("--reason", default="")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{options['username']}”不存在或已停用")
        with audit_context(source="cli", actor=user, reason=options["reason"]):
            try:
                project = services.project_advance_stage(actor=user, project_id=options["project_id"],
                                                         to_stage=options["to"], reason=options["reason"])
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
        self.stdout.write(f"项目“{project.name}”已转入{rules.STAGE_LABELS[project.stage]}")
