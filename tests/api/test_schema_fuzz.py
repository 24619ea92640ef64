"""Schemathesis drives the WSGI app in-process from its own OpenAPI schema, as the city admin.

Any 5xx, undocumented status code, or response that breaks its documented schema fails the test.
Generation is derandomised with a fixed seed and a modest number of examples.
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
from tuijin.audit.models import AuditEntry
from tuijin.orgs.models import Org
from tuijin.projects.models import ApprovalItem

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SEED = 20220401
MAX_EXAMPLES = 15


# Loaded at collection: fetching the schema needs no database. (``schemathesis.pytest.from_fixture``
# would load it inside the test, but its lazy loader does not run under pytest 9.2.)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")
schema.config.seed = SEED
schema = schema.include(path_regex=r"^/api/v1/")


@pytest.fixture
def same_connection(db):
    """Keep the test's transaction across the WSGI requests, as Django's own test client does.

    The WSGI handler closes "old" connections when a request starts and finishes; inside the test's
    transaction that would close the connection (on PostgreSQL) and lose the test data.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def ids(same_connection, users, make_project) -> dict[str, list[int]]:
    """A few projects (one per stage) and the ids of what the generated requests may address."""
    projects = [
        make_project("jinshui", tags=("city_key",)),
        make_project("zhongyuan", stage="ready", actual_start=dt.date(2022, 5, 1)),
        make_project("jinshui", stage="construction", actual_start=dt.date(2022, 3, 1), project_code=None),
        make_project("erqi", stage="completed", actual_start=dt.date(2021, 3, 1), actual_end=dt.date(2022, 3, 1)),
    ]
    with audit_context(source="system"):
        ApprovalItem.objects.create(project=projects[1], code="eia", name="环境影响评价审批", status="done")
    return {
        "projects": [p.pk for p in projects],
        "orgs": list(Org.objects.values_list("pk", flat=True)),
        "audit": list(AuditEntry.objects.values_list("pk", flat=True)),
    }


def aim_at_existing_objects(case, ids: dict[str, list[int]]) -> None:
    """Turn a generated integer id into one that exists, so that detail and write paths run for real.

    Ids that are not integers (the negative cases) are left alone: they must be a JSON 404.
    """
    value = str((case.path_parameters or {}).get("id", ""))
    pool = ids.get(case.path.split("/")[3])
    if pool and re.fullmatch(r"-?[0-9]+", value):
        case.path_parameters["id"] = pool[int(value) % len(pool)]


@pytest.fixture
def city_admin_token(users) -> str:
    return Token.objects.create(user=users["fgw"]).key


@pytest.fixture
def auditor_token(users) -> str:
    return Token.objects.create(user=users["auditor"]).key


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_schema_and_never_fails(case, ids, city_admin_token, auditor_token):
    # The audit log is for the auditor alone: fuzz it as the auditor, everything else as the city admin.
    aim_at_existing_objects(case, ids)
    token = auditor_token if case.path.startswith("/api/v1/audit/") else city_admin_token
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=CHECKS)
