"""The OpenAPI schema of the API: valid, warning-free, and saying what the views do."""

from __future__ import annotations

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/v1/orgs/", "get"), ("/api/v1/orgs/{id}/", "get"),
    ("/api/v1/projects/", "get"), ("/api/v1/projects/", "post"),
    ("/api/v1/projects/{id}/", "get"), ("/api/v1/projects/{id}/", "put"), ("/api/v1/projects/{id}/", "patch"),
    ("/api/v1/projects/{id}/advance/", "post"),
    ("/api/v1/audit/", "get"), ("/api/v1/audit/{id}/", "get"),
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_served_schema_is_valid_openapi(schema):
    validate_schema(schema)
    served = {(p, m) for p, ops in schema["paths"].items() if p.startswith("/api/v1/") for m in ops}
    assert OPERATIONS <= served


def test_the_api_views_generate_their_schema_without_warnings():
    GENERATOR_STATS.reset()
    generated = SchemaGenerator(patterns=[path("api/v1/", include("tuijin.api_urls"))]).get_schema(public=True)
    validate_schema(generated)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._warn_cache)


def test_every_operation_documents_its_errors_with_the_error_body(schema):
    for route, method in OPERATIONS:
        responses = schema["paths"][route][method]["responses"]
        assert "403" in responses, (route, method)
        expected = {"404"} if "{id}" in route or method == "get" else set()
        if method in ("post", "put", "patch") or route in ("/api/v1/projects/", "/api/v1/audit/"):
            expected.add("400")
        if method in ("put", "patch") or route.endswith("advance/"):
            expected.add("409")
        assert expected <= set(responses), (route, method, sorted(responses))
        ref = responses["403"]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/Error"


def test_the_list_filters_are_query_parameters(schema):
    def params(route):
        return {p["name"] for p in schema["paths"][route]["get"]["parameters"]}

    assert {"unit", "stage", "field", "category", "tag", "q", "page", "page_size"} <= params("/api/v1/projects/")
    assert {"object_type", "object_id", "user", "since", "until", "page_size"} <= params("/api/v1/audit/")


def test_money_is_documented_as_a_decimal_string(schema):
    components = schema["components"]["schemas"]
    total = components["Project"]["properties"]["total_investment"]
    assert (total["type"], total["format"]) == ("string", "decimal")
    assert "万元" in total["description"]
    assert components["ProjectCreateRequest"]["properties"]["annual_plans"]["additionalProperties"]["format"] \
        == "decimal"
    assert set(components["ProjectCreateRequest"]["required"]) == {"name", "unit", "category", "field",
                                                                    "total_investment"}
    assert "version" in components["ProjectPatchRequest"]["required"]
