"""Factories of the scope walk (tests/security/test_scope_walk.py): each makes one object that
belongs to 中原区 (``zhongyuan``) — or to a zhongyuan user, or to the city where the object is the
city's — and returns the keyword arguments of the route that opens it.

Objects are made directly through the models (or a service where the object needs a stored file)
inside a system audit context: the services are under test elsewhere; here only the doors are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tuijin.audit.context import audit_context

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERIOD = "2022-06"
YI = 100_000_000
_serial = itertools.count(1)


@dataclass
class World:
    """The shared fixtures (orgs, users, make_project) and the 中原区 objects made from them, each
    made at most once per test (a route's factory asks only for what it needs)."""

    orgs: dict[str, Any]
    users: dict[str, Any]
    make_project: Callable[..., Any]
    made: dict[str, Any] = field(default_factory=dict)

    @property
    def unit(self) -> Any:
        return self.orgs["zhongyuan"]

    @property
    def owner(self) -> Any:
        return self.users["zhongyuan"]

    @cached_property
    def project(self) -> Any:
        return self.make_project("zhongyuan", category="infrastructure", investment_type="government",
                                 owner_name="中原城投集团")

    @cached_property
    def period(self) -> Any:
        from tuijin.reporting.periods import period_open

        with audit_context(source="system", reason="test fixture"):
            return period_open(PERIOD)

    @cached_property
    def report(self) -> Any:
        """An approved (locked) monthly report of the 中原区 project."""
        from tuijin.reporting.models import ProgressReport, SubmissionStatus, UnitPeriod

        with audit_context(source="system", reason="test fixture"):
            UnitPeriod.objects.get_or_create(unit=self.unit, period=self.period,
                                             defaults={"status": SubmissionStatus.APPROVED})
            return ProgressReport.objects.create(unit=self.unit, period=self.period, project=self.project,
                                                 month_amount_yuan=YI, ytd_amount_yuan=YI,
                                                 cumulative_amount_yuan=YI, started=True,
                                                 status=SubmissionStatus.APPROVED)

    @cached_property
    def correction(self) -> Any:
        from tuijin.reporting.models import CorrectionRequest

        with audit_context(source="system", reason="test fixture"):
            return CorrectionRequest.objects.create(unit=self.unit, report=self.report,
                                                    changes={"physical_progress": "主体完工"}, reason="笔误",
                                                    requested_by=self.owner)

    @cached_property
    def problem(self) -> Any:
        from tuijin.problems import services

        with audit_context(source="web", actor=self.owner):
            return services.problem_raise(actor=self.owner, project_id=self.project.pk, category="land",
                                          title="项目用地指标未落实", description="说明",
                                          today=dt.date(2022, 6, 1))

    @cached_property
    def problem_attachment(self) -> Any:
        from tuijin.problems import services

        with audit_context(source="web", actor=self.owner):
            return services.problem_attach(actor=self.owner, problem_id=self.problem.pk, upload=io.BytesIO(PDF),
                                           name="用地说明.pdf")

    @cached_property
    def task(self) -> Any:
        """An open supervision task of 中原区, with an evidence file (the evidence door needs one)."""
        from tuijin.supervision.models import SupervisionTask
        from tuijin.toolkit import attachments

        stored = attachments.store(io.BytesIO(PDF), name="佐证.pdf")
        with audit_context(source="system", reason="test fixture"):
            return SupervisionTask.objects.create(
                title="督办：征迁进度", org=self.unit, project=self.project, deadline=dt.date(2030, 6, 30),
                original_deadline=dt.date(2030, 6, 30), created_on=dt.date(2022, 6, 1),
                evidence_name=stored.original_name, evidence_stored_name=stored.stored_name,
                evidence_content_type=stored.content_type)

    @cached_property
    def notification(self) -> Any:
        from tuijin.notifications.models import Notification

        return Notification.objects.create(recipient=self.owner, kind="problem_due",
                                           key=f"scope-walk:{next(_serial)}", title="问题即将到期")

    def job(self, *, kind: str = "import", by: str = "zhongyuan") -> Any:
        from tuijin.jobs.models import Job

        return Job.objects.create(kind=kind, created_by=self.users[by], params={})

    @cached_property
    def bulletin(self) -> Any:
        """A bulletin the city issued, its .docx stored under MEDIA_ROOT/bulletins."""
        from tuijin.bulletins.models import Bulletin
        from tuijin.bulletins.storage import bulletin_dir

        (bulletin_dir() / "scope-walk.docx").write_bytes(b"PK\x03\x04 docx")
        with audit_context(source="system", reason="test fixture"):
            return Bulletin.objects.create(kind="monthly", year=2022, month=6, plan_hash="x" * 64,
                                           docx_file="bulletins/scope-walk.docx", created_by=self.users["fgw"])

    @cached_property
    def escalation(self) -> Any:
        from tuijin.assessment.models import Escalation

        with audit_context(source="system", reason="test fixture"):
            return Escalation.objects.create(org=self.unit, year=2022, month=6, streak=2, level="notice",
                                             plan_hash="x" * 64)

    @cached_property
    def quota(self) -> Any:
        from tuijin.bonds.models import BondBatch, BondQuota

        with audit_context(source="system", reason="test fixture"):
            batch = BondBatch.objects.create(year=2022, number=next(_serial), name="2022年专项债券",
                                             issued_on=dt.date(2022, 1, 20))
            return BondQuota.objects.create(batch=batch, project=self.project, unit=self.unit,
                                            amount_yuan=10 * YI)

    @cached_property
    def bond_application(self) -> Any:
        from tuijin.bonds.models import SupplementaryApplication

        with audit_context(source="system", reason="test fixture"):
            return SupplementaryApplication.objects.create(unit=self.unit, name="中原区补充申报", year=2022,
                                                           amount_yuan=YI, submitted_on=dt.date(2022, 6, 1))

    @cached_property
    def deal(self) -> Any:
        from tuijin.promotion.models import Deal, DealMove

        on = dt.date(2022, 3, 1)
        with audit_context(source="system", reason="test fixture"):
            deal = Deal.objects.create(unit=self.unit, name="中原区招商项目", investor="某某科技股份有限公司",
                                       amount_yuan=20 * YI, leading_industry="electronic_information",
                                       stage="negotiating", last_move_on=on, negotiating_since=on)
            DealMove.objects.create(deal=deal, from_stage="", to_stage="negotiating", moved_on=on)
        return deal

    @cached_property
    def proposal(self) -> Any:
        from tuijin.incentives.models import Proposal

        with audit_context(source="system", reason="test fixture"):
            return Proposal.objects.create(unit=self.unit, project=self.project, rule="reits_subsidy", year=2022,
                                           amount_yuan=YI // 100, cap_yuan=YI, clause="二(六)18", plan_hash="x" * 64)

    @cached_property
    def application(self) -> Any:
        return self.application_of("zhongyuan", self.project)

    def application_of(self, unit: str, project: Any = None) -> Any:
        from tuijin.incentives.models import Application

        project = project or self.make_project(unit)
        with audit_context(source="system", reason="test fixture"):
            return Application.objects.create(unit=self.orgs[unit], project=project, rule="reits_subsidy",
                                              period=2022, owner_name="某某集团",
                                              requested_amount_yuan=YI // 100, cap_yuan=YI, clause="二(六)18",
                                              plan_hash="x" * 64, submitted_by=self.users[unit])

    @cached_property
    def incentive_attachment(self) -> Any:
        from tuijin.incentives import services

        upload = SimpleUploadedFile("贷款合同.pdf", PDF, content_type="application/pdf")
        with audit_context(source="web", actor=self.owner):
            return services.attachment_add(actor=self.owner, application_id=self.application.pk, upload=upload)

    @cached_property
    def reits_entry(self) -> Any:
        from tuijin.reits.models import ReitsEntry

        with audit_context(source="system", reason="test fixture"):
            return ReitsEntry.objects.create(unit=self.unit, project=self.project, stage="planning",
                                             stage_since=dt.date(2022, 1, 10), sponsor="郑州某某集团")

    @cached_property
    def api_token(self) -> Any:
        from tuijin.orgs.models import ApiToken

        digest = hashlib.sha256(secrets.token_bytes(32)).hexdigest()
        with audit_context(source="system", reason="test fixture"):
            return ApiToken.objects.create(user=self.owner, name="脚本", prefix=digest[:8], digest=digest,
                                           expires_at=timezone.now() + dt.timedelta(days=30))

    @cached_property
    def audit_entry(self) -> Any:
        """The audit entry of a change to the 中原区 project."""
        from tuijin.audit.models import AuditEntry
        from tuijin.audit.services import record

        with audit_context(source="system", reason="test fixture"):
            record(action="update", object_type="projects.project", object_id=str(self.project.pk),
                   object_repr=self.project.name, after={"leader": "甲"})
        return AuditEntry.objects.filter(object_id=str(self.project.pk)).latest("id")
