"""The bond module on the one clock and a plan per year (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest

from tuijin.audit.context import audit_context
from tuijin.bonds import services
from tuijin.bonds.models import BondBatch, BondIssuance, BondQuota, BondSpending
from tuijin.plan import plan_for
from tuijin.toolkit.errors import ValidationFailed

YI = 100_000_000


def test_an_issuance_after_the_business_date_is_refused_until_the_date_passes(bond_case, users, business_date):
    quota = bond_case["jinshui"]["quota"]
    business_date("2022-07-15")
    with audit_context(source="cli", actor=users["fgw"]), pytest.raises(ValidationFailed, match="不能晚于今天"):
        services.issuance_record(actor=users["fgw"], quota_id=quota.pk, issued_on="2022-08-01", amount_wan="100")
    business_date("2022-09-01")
    with audit_context(source="cli", actor=users["fgw"]):
        services.issuance_record(actor=users["fgw"], quota_id=quota.pk, issued_on="2022-08-01", amount_wan="100")
    assert BondIssuance.objects.filter(quota=quota, issued_on=dt.date(2022, 8, 1)).count() == 1


def test_an_application_without_a_date_is_stamped_with_the_business_date(bond_case, client_for, business_date):
    business_date("2022-07-15")
    response = client_for("jinshui").post("/api/v1/bonds/applications/", {
        "unit": "jinshui", "name": "郑州某园区补充申报", "year": 2022, "amount": "5000"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["submitted_on"] == "2022-07-15"


def _copy_to_2023(bond_case) -> None:
    """The same three units' bonds in 2023: half the quota issued, a tenth of that spent by June."""
    with audit_context(source="system", reason="test fixture"):
        batch = BondBatch.objects.create(year=2023, number=1, name="2023年第一批专项债券", issued_on=dt.date(2023, 1, 20))
        for code in ("jinshui", "zhongyuan", "erqi"):
            project = bond_case[code]["project"]
            quota = BondQuota.objects.create(batch=batch, project=project, unit=project.unit, amount_yuan=10 * YI)
            BondIssuance.objects.create(quota=quota, unit=project.unit, issued_on=dt.date(2023, 3, 1), amount_yuan=5 * YI)
            BondSpending.objects.create(project=project, unit=project.unit, year=2023, month=6, amount_yuan=YI // 2)


def test_a_2023_month_is_evaluated_under_the_2023_plan_and_2022_stays(bond_case, client_for, two_year_plans,
                                                                       business_date):
    two_year_plans({"    talk_threshold: 60\n": "    talk_threshold: 95\n"})
    _copy_to_2023(bond_case)
    client = client_for("fgw")
    old = client.get("/api/v1/bonds/evaluation/", {"year": 2022, "month": 6}).json()
    new = client.get("/api/v1/bonds/evaluation/", {"year": 2023, "month": 6}).json()
    assert old["plan_hash"] == plan_for(2022).hash and new["plan_hash"] == plan_for(2023).hash
    assert [r["org"] for r in old["results"] if r["talk"]] == ["erqi"]  # below 60 in 2022's plan
    assert {r["org"] for r in new["results"] if r["talk"]} == {"jinshui", "zhongyuan", "erqi"}  # below 95 in 2023's
    business_date("2023-07-15")  # without a year: the business date's
    assert client.get("/api/v1/bonds/evaluation/", {"month": 6}).json()["plan_hash"] == plan_for(2023).hash


def test_the_bulletin_and_the_talk_list_read_the_months_plan(bond_case, orgs, two_year_plans):
    from tuijin.bonds.bulletin_sections import bulletin_sections
    from tuijin.bonds.supervision_sources import bond_talk_candidates

    two_year_plans({"    talk_threshold: 60\n": "    talk_threshold: 95\n"})
    _copy_to_2023(bond_case)
    assert any("低于95分" in p for p in bulletin_sections(year=2023, month=6, quarterly=False)[0]["paragraphs"])
    assert any("低于60分" in p for p in bulletin_sections(year=2022, month=6, quarterly=False)[0]["paragraphs"])
    assert len(bond_talk_candidates(dt.date(2023, 6, 30))) == 3
    assert [c["key"] for c in bond_talk_candidates(dt.date(2022, 6, 30))] == ["2022-06:erqi"]
