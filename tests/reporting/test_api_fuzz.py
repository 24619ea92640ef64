"""Schemathesis drives the monthly-reporting API from its own OpenAPI schema, as the city admin and as a unit.

Any 5xx, undocumented status code, or response that breaks its documented schema fails the test.
Generated ids are aimed at rows that exist, so that detail, write and workflow paths run for real.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tuijin.audit.context import audit_context
from tuijin.reporting.models import ProgressReport
from tuijin.reporting.periods import period_open
from tuijin.toolkit.money import wan_to_yuan

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SEED = 20220705
MAX_EXAMPLES = 15
ROUTES = r"^/api/v1/(periods|progress|jobs)/"

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")
schema.config.seed = SEED
schema = schema.include(path_regex=ROUTES)


@pytest.fixture
def same_connection(db):
    """Keep the test's transaction across the WSGI requests (see tests/api/test_schema_fuzz.py)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def rows(same_connection, users, make_project) -> list[int]:
    """A few rows of 金水区 and 中原区 in 2022-06 and 2022-07, in every state."""
    made = []
    with audit_context(source="system", reason="test fixture"):
        for unit, status in (("jinshui", "draft"), ("jinshui", "approved"), ("zhongyuan", "submitted")):
            project = make_project(unit, stage="construction", actual_start=dt.date(2022, 3, 1))
            for code in ("2022-06", "2022-07"):
                made.append(ProgressReport.objects.create(
                    unit=project.unit, period=period_open(code), project=project, status=status,
                    month_amount_yuan=wan_to_yuan("10"), ytd_amount_yuan=wan_to_yuan("10"),
                    cumulative_amount_yuan=wan_to_yuan("10")).pk)
    return made


def aim(case, rows: list[int]) -> None:
    params = case.path_parameters or {}
    value = str(params.get("id", ""))
    if case.path.startswith("/api/v1/progress/") and re.fullmatch(r"-?[0-9]+", value):
        params["id"] = rows[int(value) % len(rows)]
    if "period" in params and re.fullmatch(r"[0-9]+", str(params["period"])):
        params["period"] = "2022-07"
    if "unit" in params and str(params["unit"]).isdigit():
        params["unit"] = ["jinshui", "zhongyuan"][int(params["unit"]) % 2]


@pytest.fixture
def tokens(users) -> dict[str, str]:
    return {name: Token.objects.create(user=users[name]).key for name in ("fgw", "jinshui")}


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("who", ["fgw", "jinshui"])
def test_the_reporting_api_keeps_its_schema_and_never_fails(case, rows, tokens, who):
    aim(case, rows)
    response = case.call(headers={"Authorization": f"Token {tokens[who]}"})
    case.validate_response(response, checks=CHECKS)
