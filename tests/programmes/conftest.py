"""Fixtures of the programme tests: statistics and finance bureau users, API clients, reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tuijin.audit.context import audit_context
from tuijin.toolkit.money import wan_to_yuan


@pytest.fixture
def bureau_users(users, orgs):
    """``tjj`` (statistics bureau) and ``czj`` (finance bureau) department users."""
    from tuijin.orgs.models import User

    made = {}
    with audit_context(source="system", reason="test fixture"):
        for code in ("tjj", "czj"):
            user = User(username=code, org=orgs[code], roles=["department"], full_name=code)
            user.set_password("Tuijin@2022!")
            user.save()
            made[code] = user
    users.update(made)
    return made


@pytest.fixture
def api(users) -> Callable[[str], APIClient]:
    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_login(users[username])
        return client

    return make


@pytest.fixture
def approved_report(orgs) -> Callable[..., Any]:
    """An approved progress report (and its unit's approved submission) for a project and month."""
    from tuijin.reporting.models import Period, ProgressReport, UnitPeriod

    def make(project, period: str = "2022-06", *, ytd_wan: str = "0", cumulative_wan: str | None = None,
             percent: str | None = None, progress: str = "") -> Any:
        year, month = (int(x) for x in period.split("-"))
        with audit_context(source="system", reason="test fixture"):
            p, _ = Period.objects.get_or_create(code=period, defaults={
                "year": year, "month": month, "opens_on": dt.date(year, month, 1),
                "deadline": dt.date(year, month, 1) + dt.timedelta(days=40)})
            UnitPeriod.objects.get_or_create(unit=project.unit, period=p, defaults={"status": "approved"})
            return ProgressReport.objects.create(
                unit=project.unit, period=p, project=project, status="approved", ytd_amount_yuan=wan_to_yuan(ytd_wan),
                cumulative_amount_yuan=wan_to_yuan(cumulative_wan or ytd_wan), percent_complete=percent,
                physical_progress=progress, started=True)

    return make


@pytest.fixture
def funding(orgs) -> Callable[..., Any]:
    from tuijin.projects.models import FundingSource

    def make(project, source: str, planned_wan: str, in_place_wan: str) -> Any:
        with audit_context(source="system", reason="test fixture"):
            return FundingSource.objects.create(project=project, source=source, planned_yuan=wan_to_yuan(planned_wan),
                                                in_place_yuan=wan_to_yuan(in_place_wan))

    return make


from plan_years import two_year_plans  # noqa: E402, F401  (the shared two-year plans directory)
