"""What the schema declares, the API enforces (issue 9 item 10): the cases schemathesis' positive and
negative data checks found, each pinned here through the API door."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["page_size=abc", "page_size=0", "page_size=501", "page=0",
                                   "page_size=10&page_size=20"])
def test_page_and_page_size_that_are_not_declared_numbers_are_a_400(api, query):
    response = api("fgw").get(f"/api/v1/projects/?{query}")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert "应为" in response.json()["detail"]


def test_a_declared_page_size_is_served(api, two_projects):
    response = api("fgw").get("/api/v1/projects/?page=1&page_size=1")
    assert response.status_code == 200 and len(response.json()["results"]) == 1


@pytest.mark.parametrize("path", ["/api/v1/reits/?unit=", "/api/v1/problems/stats/?by=",
                                  "/api/v1/incentives/proposals/?unit="])
def test_a_blank_filter_that_the_schema_does_not_allow_is_a_400(api, path):
    assert api("fgw").get(path).status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/rankings/?period=", "/api/v1/evaluations/?quarter="])
def test_a_blank_value_declared_as_the_default_is_served(api, path):
    assert api("fgw").get(path).status_code in (200, 404)  # 404: no evaluation stored yet — not a 400


def test_an_audit_moment_with_an_impossible_offset_is_a_400_not_a_500(api):
    response = api("auditor").get("/api/v1/audit/?until=1964-04-05T20:58%2B20:30")
    assert response.status_code == 400 and "until" in response.json()["errors"]
    assert api("auditor").get("/api/v1/audit/?until=2022-06-01T08:00%2B08:00").status_code == 200


def test_json_numbers_are_not_strings_nor_flags(api):
    client = api("fgw")
    event = client.post("/api/v1/promotion/events/", {"name": 0, "held_on": "2022-06-01"}, format="json")
    assert event.status_code == 400 and "name" in event.json()["errors"]
    quote = client.post("/api/v1/incentives/quote/", {"rule": "interest_subsidy", "total": "200000",
                                                      "first_year": "100000", "loan": "50000",
                                                      "not_manufacturing": 0}, format="json")
    assert quote.status_code == 400 and "not_manufacturing" in quote.json()["errors"]


def test_years_and_months_out_of_the_declared_range_are_a_400(api):
    client = api("fgw")
    assert client.get("/api/v1/bonds/evaluation/?year=").status_code == 400
    assert client.get("/api/v1/bonds/evaluation/?year=2022&month=").status_code == 400
    assert client.get("/api/v1/bonds/evaluation/?year=1999").status_code == 400
    assert client.get("/api/v1/promotion/stalled/?as_of=").status_code == 400


def test_the_schema_declares_the_shared_patterns(api):
    schema = api("fgw").get("/api/schema/?format=json").json()
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/promotion/weekly/"]["get"]["parameters"]}
    assert params["week"]["pattern"].startswith("^(20[0-9]{2}|2100)-W")
    page = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/projects/"]["get"]["parameters"]}
    assert page["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500}
    amount = schema["components"]["schemas"]["QuotaInRequest"]["properties"]["amount"]
    assert amount["pattern"].startswith("^([1-9]")  # greater than 0: no "", no "-", no "0"
