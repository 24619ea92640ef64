"""The bond page forms: each write goes through its service, is audited, and respects scope."""

from __future__ import annotations

from tuijin.audit.models import AuditEntry
from tuijin.bonds.models import BondIssuance, BondSpending, ComplianceViolation, SupplementaryApplication


def test_a_unit_submits_and_the_city_reviews_on_the_page(bond_case, client_for):
    response = client_for("jinshui").post("/bonds/applications/", {
        "unit": "jinshui", "name": "金水区停车场项目（补充申报）", "amount": "8000", "year": "2022"})
    assert response.status_code == 302
    app = SupplementaryApplication.objects.get(name="金水区停车场项目（补充申报）")
    assert AuditEntry.objects.filter(object_type="bonds.supplementaryapplication", object_id=str(app.pk),
                                     action="create", source="web").exists()
    refused = client_for("jinshui").post("/bonds/applications/", {
        "unit": "zhongyuan", "name": "x", "amount": "1", "year": "2022"}, follow=True)
    assert "只能为本单位报送补充申报项目" in refused.content.decode()
    assert client_for("jinshui").post(f"/bonds/applications/{app.pk}/review/", {"status": "passed"},
                                      follow=True).status_code == 200
    app.refresh_from_db()
    assert app.status == "submitted"
    page = client_for("fgw").post(f"/bonds/applications/{app.pk}/review/", {"status": "rejected", "note": ""},
                                  follow=True)
    assert "审核不通过须填写原因" in page.content.decode()
    client_for("fgw").post(f"/bonds/applications/{app.pk}/review/", {"status": "rejected", "note": "收益不足"})
    app.refresh_from_db()
    assert (app.status, app.review_note) == ("rejected", "收益不足")


def test_the_city_records_a_violation_on_the_page(bond_case, client_for):
    client_for("fgw").post("/bonds/violations/", {"unit": "erqi", "occurred_on": "2022-06-01",
                                                  "description": "资金挪用"})
    assert ComplianceViolation.objects.filter(unit__code="erqi", description="资金挪用").exists()
    client_for("jinshui").post("/bonds/violations/", {"unit": "jinshui", "occurred_on": "2022-06-01",
                                                      "description": "自报"})
    assert not ComplianceViolation.objects.filter(description="自报").exists()


def test_issuance_and_spending_on_the_quota_page(bond_case, client_for):
    quota = bond_case["jinshui"]["quota"]
    other = bond_case["zhongyuan"]["quota"]
    page = client_for("fgw").get(f"/bonds/quotas/{quota.pk}/").content.decode()
    assert 'data-testid="issue-form"' in page
    client_for("fgw").post(f"/bonds/quotas/{quota.pk}/issue/", {"issued_on": "2022-08-01", "amount": "5000"})
    assert BondIssuance.objects.filter(quota=quota, amount_yuan=50_000_000).exists()
    client_for("jinshui").post(f"/bonds/quotas/{quota.pk}/spend/", {"month": "8", "amount": "1234.5"})
    assert BondSpending.objects.get(project=quota.project, month=8).amount_yuan == 12_345_000
    assert client_for("jinshui").post(f"/bonds/quotas/{other.pk}/spend/", {"month": "8", "amount": "1"}
                                      ).status_code == 404
    assert client_for("jinshui").post(f"/bonds/quotas/{other.pk}/issue/", {"issued_on": "2022-08-01",
                                                                           "amount": "1"}).status_code == 404
    bad = client_for("fgw").post(f"/bonds/quotas/{quota.pk}/issue/", {"issued_on": "2022-08-01", "amount": "abc"},
                                 follow=True)
    assert "金额应为数字" in bad.content.decode()
