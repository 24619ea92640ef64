"""Fixtures of the REITs tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tuijin.audit.context import audit_context


@pytest.fixture
def act() -> Callable[..., Any]:
    def run(user: Any, fn: Callable[..., Any], **kwargs: Any) -> Any:
        with audit_context(source="web", actor=user):
            return fn(actor=user, **kwargs)

    return run


@pytest.fixture
def entry(act, users, make_project):
    from tuijin.reits import services

    project = make_project("jinshui", category="infrastructure", investment_type="government")
    import datetime as dt

    return act(users["jinshui"], services.entry_create, project_id=project.pk,
               data={"asset_type": "产业园区", "sponsor": "郑州某产业园运营公司", "pre_expenses_wan": "260"},
               on=dt.date(2022, 2, 10))
