"""Fixtures of the API tests: clients signed in by session or token, and a few projects.

The organisations, users (``fgw`` city admin, ``jinshui``/``zhongyuan`` units, ``leader``,
``dcs``, ``gxj``, ``auditor``, ``sysadmin``, ``secadmin``) and ``make_project`` come from
``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

#: A valid 统一社会信用代码 (check character computed with python-stdnum).
VALID_USCC = "91410105MA9G1RT2A5"


@pytest.fixture
def api(users) -> Callable[[str], APIClient]:
    """An API client signed in (session) as one of the fixture users."""

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_login(users[username])
        return client

    return make


@pytest.fixture
def token_api(users) -> Callable[[str], APIClient]:
    """An API client that authenticates with a DRF token only (no session)."""

    def make(username: str) -> APIClient:
        token, _ = Token.objects.get_or_create(user=users[username])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def two_projects(make_project) -> dict[str, Any]:
    """One 金水区 and one 中原区 project, different in every filterable field."""
    return {
        "jinshui": make_project(
            "jinshui", name="金水区智能装备产业园", owner_name="河南智造有限公司", tags=("city_key",),
            category="industrial", field="advanced_manufacturing",
        ),
        "zhongyuan": make_project(
            "zhongyuan", name="中原区棚户区改造安置房", owner_name="中原城投集团", tags=("reconstruction",),
            category="real_estate", field="new_urbanisation", stage="construction",
        ),
    }


def valid_project_body(**overrides: Any) -> dict[str, Any]:
    """A create body that the services accept for a 金水区 user."""
    body: dict[str, Any] = {
        "name": "金水区数据中心项目",
        "unit": "jinshui",
        "category": "infrastructure",
        "field": "new_infrastructure",
        "nature": "new",
        "investment_type": "enterprise",
        "total_investment": "12345.6789",
        "annual_plans": {"2022": "3000.0001"},
        "planned_start": "2022-04-01",
        "planned_end": "2023-12-31",
        "tags": ["city_key", "special_bond"],
        "departments": ["fgw", "gxj"],
        "owner_name": "河南数据有限公司",
        "owner_uscc": VALID_USCC,
        "lat": 34.8,
        "lon": 113.66,
    }
    body.update(overrides)
    return body
