"""A unit user sees only its own unit's bond projects: 404 for another unit's by page, API, export, CLI."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command


def test_quota_page_of_another_unit_is_404(bond_case, client_for):
    other = bond_case["zhongyuan"]["quota"].pk
    own = bond_case["jinshui"]["quota"].pk
    client = client_for("jinshui")
    assert client.get(f"/bonds/quotas/{own}/").status_code == 200
    assert client.get(f"/bonds/quotas/{other}/").status_code == 404


def test_unit_filter_of_another_unit_is_404(bond_case, client_for):
    assert client_for("jinshui").get("/bonds/?unit=zhongyuan").status_code == 404
    assert client_for("jinshui").get("/bonds/export.xlsx?unit=zhongyuan").status_code == 404
    assert client_for("fgw").get("/bonds/?unit=zhongyuan").status_code == 200


def test_api_quota_of_another_unit_is_404(bond_case, client_for):
    client = client_for("jinshui")
    other = bond_case["zhongyuan"]["quota"].pk
    assert client.get(f"/api/v1/bonds/quotas/{other}/").status_code == 404
    assert client.get("/api/v1/bonds/quotas/?unit=zhongyuan").status_code == 404
    listed = client.get("/api/v1/bonds/quotas/?year=2022").json()
    assert listed["count"] == 1 and listed["results"][0]["unit"] == "jinshui"


def test_the_page_lists_only_own_projects(bond_case, client_for):
    html = client_for("jinshui").get("/bonds/?year=2022&month=6").content.decode()
    assert bond_case["jinshui"]["project"].name in html
    assert bond_case["zhongyuan"]["project"].name not in html


def test_export_holds_only_own_projects(bond_case, client_for):
    response = client_for("jinshui").get("/bonds/export.xlsx?year=2022&month=6")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content))["专项债券项目"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["金水区"]


def test_api_lists_of_applications_and_violations_are_scoped(bond_case, client_for):
    apps = client_for("jinshui").get("/api/v1/bonds/applications/?year=2022").json()
    assert {a["unit"] for a in apps} == {"jinshui"}
    violations = client_for("zhongyuan").get("/api/v1/bonds/violations/?year=2022").json()
    assert {v["unit"] for v in violations} == {"zhongyuan"}


def test_cli_with_an_unknown_user_is_refused(bond_case):
    with pytest.raises(CommandError, match="不存在"):
        call_command("bond_evaluation", "--year", "2022", "--as", "nobody")


def test_administrators_see_no_bond_pages(bond_case, client_for):
    assert client_for("sysadmin").get("/bonds/").status_code == 403


def test_the_city_wide_bond_aggregates_refuse_an_administrator_and_serve_system(bond_case, client_for):
    """Batches and the evaluation are aggregates of every unit: the administrators are refused at the
    door (API 403), the selectors refuse them too, and SYSTEM (bulletins, jobs) reads them."""
    from tuijin.bonds import selectors
    from tuijin.orgs import policy
    from tuijin.orgs.models import User
    from tuijin.toolkit.errors import PermissionRefused

    assert client_for("sysadmin").get("/api/v1/bonds/batches/?year=2022").status_code == 403
    assert client_for("sysadmin").get("/api/v1/bonds/evaluation/?year=2022&month=6").status_code == 403
    assert client_for("jinshui").get("/api/v1/bonds/batches/?year=2022").status_code == 200
    admin = User.objects.get(username="sysadmin")
    with pytest.raises(PermissionRefused):
        selectors.batches(user=admin, year=2022)
    with pytest.raises(PermissionRefused):
        selectors.unit_facts(user=admin, year=2022, month=6)
    assert [b["projects"] for b in selectors.batches(user=policy.SYSTEM, year=2022)] == [3]
    result = selectors.evaluation(user=policy.SYSTEM, year=2022, month=6)
    assert {row.org.code for row in result.rows} == {"jinshui", "zhongyuan", "erqi"}
