"""Fixtures of the service-and-supervision tests: department users, a frozen day, problem factory."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tuijin.audit.context import audit_context

#: A frozen "today": Wednesday 1 June 2022 (a working day; the Dragon Boat holiday is 3–5 June).
TODAY = dt.date(2022, 6, 1)


@pytest.fixture
def dept_user(orgs, users):
    """Make (or get) a department user of ``code`` (username = code + "_staff")."""
    from tuijin.orgs.models import User

    def make(code: str, *, roles: tuple[str, ...] = ("department",)) -> Any:
        username = f"{code}_staff"
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            return existing
        with audit_context(source="system", reason="test fixture"):
            user = User(username=username, org=orgs[code], roles=list(roles), full_name=username)
            user.set_password("Tuijin@2022!")
            user.save()
        return user

    return make


@pytest.fixture
def raise_problem(users, make_project):
    """Raise a problem through the service as ``jinshui`` (or ``by``) on a fresh project."""
    from tuijin.problems import services

    def make(category: str = "land", *, by: str = "jinshui", today: dt.date = TODAY, project=None,
             title: str = "项目用地指标未落实") -> Any:
        user = users[by]
        unit = user.org.code if user.reporting_unit is not None else "jinshui"
        project = project or make_project(unit)
        with audit_context(source="web", actor=user):
            return services.problem_raise(actor=user, project_id=project.pk, category=category, title=title,
                                          description="说明", today=today)

    return make
