"""The cockpit and the page shell on the one clock and a plan per year (issue 15)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

TITLE_2023 = {"title: 2022年全市扩大有效投资工作实施方案": "title: 2023年全市扩大有效投资工作实施方案",
              "fai_growth: {value: 10,": "fai_growth: {value: 12,"}


def _fai_target(client, **params) -> tuple[str, float]:
    body = client.get("/cockpit/data.json", params).json()
    return body["period"], float(next(c for c in body["growth_cards"] if c["code"] == "fai")["target"])


def test_the_cockpit_opens_on_the_business_dates_month_under_its_years_plan(client_for, two_year_plans,
                                                                            business_date):
    two_year_plans(TITLE_2023)
    client = client_for("fgw")
    business_date("2022-07-15")
    assert _fai_target(client) == ("2022-07", 10)
    business_date("2023-03-15")
    assert _fai_target(client) == ("2023-03", 12)
    assert _fai_target(client, period="2022-12") == ("2022-12", 10)  # a 2022 month keeps the 2022 plan


def test_the_footer_names_the_plan_of_the_year_viewed(client_for, two_year_plans, business_date):
    two_year_plans(TITLE_2023)
    client = client_for("fgw")
    business_date("2022-07-15")
    assert "2022年全市扩大有效投资工作实施方案" in client.get("/plan/").content.decode()
    page = client.get("/plan/", {"year": 2023}).content.decode()
    assert "2023年全市扩大有效投资工作实施方案" in page.split("<footer")[1]
    assert "2023年全市扩大有效投资工作实施方案" in client.get("/", {"period": "2023-05"}).content.decode().split(
        "<footer")[1]
    assert client.get("/plan/", {"year": 2031}).status_code == 404
