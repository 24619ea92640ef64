"""Shared fixtures: the plan's orgs, one user per role, and a project factory.

As in healthchecks' base test case: a city administrator (``fgw``), a 金水区 user
(``jinshui``) and a 中原区 user (``zhongyuan``), plus the read-only and administrator roles.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tuijin.audit.context import audit_context
from tuijin.toolkit.money import wan_to_yuan

# Property tests check results, not speed: on a loaded 2-core machine a per-example deadline only flakes.
hypothesis_settings.register_profile("tuijin", deadline=None)
hypothesis_settings.load_profile("tuijin")

PASSWORD = "Tuijin@2022!"
_serial = itertools.count(1)


@pytest.fixture
def system_context():
    """An audit context for writes made by the test itself (not under test)."""
    with audit_context(source="system", reason="test fixture") as ctx:
        yield ctx


@pytest.fixture
def orgs(db):
    from tuijin.orgs.models import Org
    from tuijin.orgs.services import orgs_sync_from_plan

    with audit_context(source="system", reason="test fixture"):
        orgs_sync_from_plan()
    return {o.code: o for o in Org.objects.all()}


USER_SPECS = {
    "fgw": ("fgw", ["city_admin"]),
    "jinshui": ("jinshui", ["unit"]),
    "zhongyuan": ("zhongyuan", ["unit"]),
    "leader": ("city", ["leader"]),
    "dcs": ("dcs", ["supervision"]),
    "gxj": ("gxj", ["department"]),
    "auditor": ("fgw", ["auditor"]),
    "sysadmin": ("fgw", ["sysadmin"]),
    "secadmin": ("fgw", ["secadmin"]),
}


@pytest.fixture
def users(orgs):
    from tuijin.orgs.models import User

    made = {}
    with audit_context(source="system", reason="test fixture"):
        for username, (org_code, roles) in USER_SPECS.items():
            user = User(username=username, org=orgs[org_code], roles=roles, full_name=username)
            user.set_password(PASSWORD)
            user.save()
            made[username] = user
    return made


@pytest.fixture
def client_for(users) -> Callable[[str], Client]:
    """A logged-in Django test client for one of the fixture users."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(users[username])
        return client

    return make


def project_code_for(division: str = "410105", serial: int | None = None) -> str:
    serial = next(_serial) if serial is None else serial
    return f"2022-{division}-35-03-{serial:06d}"


@pytest.fixture
def make_project(orgs) -> Callable[..., Any]:
    """Create a project directly (bypassing services) inside a system audit context."""
    from tuijin.projects.models import AnnualPlan, Project, ProjectTag

    def make(unit: str = "jinshui", *, tags: tuple[str, ...] = (), annual_plan_wan: str | None = "1000",
             **fields: Any) -> Project:
        org = orgs[unit]
        values: dict[str, Any] = {
            "name": f"{org.short_name}测试项目{next(_serial)}",
            "project_code": project_code_for(org.division_code or "410100"),
            "category": "industrial",
            "field": "advanced_manufacturing",
            "total_investment_yuan": wan_to_yuan("50000"),
            "planned_start": dt.date(2022, 3, 1),
            "planned_end": dt.date(2024, 12, 31),
        }
        values.update(fields)
        with audit_context(source="system", reason="test fixture"):
            project = Project.objects.create(unit=org, **values)
            ProjectTag.objects.bulk_create([ProjectTag(project=project, tag=t) for t in tags])
            if annual_plan_wan is not None:
                AnnualPlan.objects.create(project=project, year=2022, amount_yuan=wan_to_yuan(annual_plan_wan))
        return project

    return make


@pytest.fixture
def heard_on():
    """What a signal sends, as a list of its keyword arguments: ``calls = heard_on(signal)``; every
    receiver connected this way is disconnected after the test."""
    connected = []

    def listen_to(signal):  # noqa: ANN001, ANN202
        calls: list[dict] = []

        def listen(sender, **kwargs):  # noqa: ANN001, ANN202
            calls.append(kwargs)

        signal.connect(listen, weak=False)
        connected.append((signal, listen))
        return calls

    yield listen_to
    for signal, listen in connected:
        signal.disconnect(listen)


@pytest.fixture(autouse=True)
def _clock_memo_per_test():
    """Each test starts on the clock as its database says (a rolled-back business date is forgotten)."""
    from tuijin.toolkit import clock

    clock.forget()
    yield
    clock.forget()


@pytest.fixture
def business_date(db):
    """Set the platform's clock through its one door: ``business_date(dt.date(2022, 7, 15))``."""
    from tuijin.toolkit import clock

    def set_to(day: dt.date | str) -> dt.date:
        day = dt.date.fromisoformat(day) if isinstance(day, str) else day
        with audit_context(source="system", reason="test clock"):
            clock.set_business_date(day)
        return day

    return set_to
