"""Fixtures of the incentives tests: a 财政局 user (czj), projects with approved monthly reports,
REITs entries, and a helper that walks an application through its states."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tuijin.audit.context import audit_context
from tuijin.toolkit.money import wan_to_yuan

PASSWORD = "Tuijin@2022!"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def users(users, orgs):  # extends the shared fixture with 财政局
    from tuijin.orgs.models import User

    with audit_context(source="system", reason="test fixture"):
        user = User(username="czj", org=orgs["czj"], roles=["department"], full_name="czj")
        user.set_password(PASSWORD)
        user.save()
    return {**users, "czj": user}


@pytest.fixture
def reports(orgs, system_context) -> Callable[..., None]:
    """Approved monthly reports for a project: ``reports(project, {"2022-03": 20000, …})`` (万元)."""
    from tuijin.reporting.models import ProgressReport, SubmissionStatus
    from tuijin.reporting.periods import period_open

    def make(project: Any, months: dict[str, Any], *, status: str = SubmissionStatus.APPROVED,
             physical_progress: str = "") -> None:
        ytd: dict[int, int] = {}
        cumulative = 0
        for code in sorted(months):
            period = period_open(code)
            amount = wan_to_yuan(months[code])
            ytd[period.year] = ytd.get(period.year, 0) + amount
            cumulative += amount
            ProgressReport.objects.create(unit=project.unit, period=period, project=project,
                                          month_amount_yuan=amount, ytd_amount_yuan=ytd[period.year],
                                          cumulative_amount_yuan=cumulative, started=True, status=status,
                                          physical_progress=physical_progress)

    return make


@pytest.fixture
def reits_entry(system_context) -> Callable[..., Any]:
    from tuijin.reits.models import ReitsEntry

    def make(project: Any, **fields: Any) -> ReitsEntry:
        values = {"stage": "planning", "stage_since": dt.date(2022, 1, 10), "in_national_reserve": True,
                  "registered_locally": True, "pre_expenses_yuan": wan_to_yuan("400"), "sponsor": "郑州某某集团"}
        values.update(fields)
        return ReitsEntry.objects.create(unit=project.unit, project=project, **values)

    return make


@pytest.fixture
def pdf() -> Callable[[str], SimpleUploadedFile]:
    def make(name: str = "贷款合同.pdf", content: bytes = PDF) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make


@pytest.fixture(autouse=True)
def attachment_dir(settings, tmp_path):
    settings.INCENTIVE_ATTACHMENT_DIR = tmp_path / "attachments"
    return settings.INCENTIVE_ATTACHMENT_DIR


@pytest.fixture
def act() -> Callable[..., Any]:
    """Run a service as ``user`` inside a web-like audit context."""

    def run(user: Any, fn: Callable[..., Any], **kwargs: Any) -> Any:
        with audit_context(source="web", actor=user):
            return fn(actor=user, **kwargs)

    return run


@pytest.fixture
def eligible_manufacturing(make_project, reports) -> Callable[..., Any]:
    """A manufacturing project of 12亿 started 2022-01 with 6亿 first-year FAI (二(六)16 tier 1)."""

    def make(unit: str = "jinshui", *, total: str = "120000", monthly: str = "10000", **fields: Any) -> Any:
        project = make_project(unit, total_investment_yuan=wan_to_yuan(total), actual_start=dt.date(2022, 1, 5),
                               stage="construction", owner_name="郑州某某制造有限公司", **fields)
        reports(project, {f"2022-{m:02d}": monthly for m in range(1, 7)})
        return project

    return make
