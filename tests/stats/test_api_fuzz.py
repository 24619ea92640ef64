"""Schemathesis drives the official-statistics API from its own OpenAPI schema, as the statistics bureau
and as a unit. Any 5xx, undocumented status code, or response that breaks its documented schema fails."""

from __future__ import annotations

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

from .conftest import month_rows, run_import

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SEED = 20220615
MAX_EXAMPLES = 15

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")
schema.config.seed = SEED
schema = schema.include(path_regex=r"^/api/v1/stats/")


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
def figures(same_connection, tjj, xlsx) -> None:
    run_import(tjj, xlsx(month_rows()), period="2022-06")


@pytest.fixture
def tokens(users, tjj) -> dict[str, str]:
    return {name: Token.objects.create(user=users[name]).key for name in ("tjj", "jinshui")}


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("who", ["tjj", "jinshui"])
def test_the_stats_api_keeps_its_schema_and_never_fails(case, figures, tokens, who):
    response = case.call(headers={"Authorization": f"Token {tokens[who]}"})
    case.validate_response(response, checks=CHECKS)
