"""`tuijin year-open` and the annual-plan scope of an opened year, on a few projects (issue 15)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tuijin.audit.context import audit_context
from tuijin.orgs import policy
from tuijin.plan import reset_plans
from tuijin.reporting import periods
from tuijin.reporting.models import Period, ReportingYear
from tuijin.reporting.selectors import reportable_projects

pytestmark = pytest.mark.django_db

PLANS = Path(__file__).resolve().parents[2] / "plans"


@pytest.fixture
def two_years(tmp_path):
    directory = tmp_path / "plans"
    directory.mkdir()
    shutil.copy(PLANS / "zhengzhou-2022.yaml", directory)
    shutil.copy(PLANS / "examples" / "zhengzhou-2023.yaml", directory)
    with override_settings(TUIJIN_PLANS_DIR=str(directory)):
        reset_plans()
        yield directory
    reset_plans()


def period_open(code: str) -> Period:
    with audit_context(source="system", reason="test"):
        return periods.period_open(code)


def year_open(*args: str) -> dict:
    out = io.StringIO()
    call_command("year_open", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_a_unit_sees_only_its_own_projects_without_an_annual_plan(two_years, make_project, client_for):
    mine = make_project("jinshui", stage="construction")
    theirs = make_project("zhongyuan", stage="construction")
    make_project("jinshui", stage="reserve")  # not carried over
    opening = year_open("2023")
    assert {row["id"] for row in opening["without_annual_plan"]} == {mine.pk, theirs.pk}
    page = client_for("jinshui").get("/reporting/without-annual-plan/?year=2023")
    assert page.status_code == 200
    body = page.content.decode()
    assert mine.name in body and theirs.name not in body
    assert "自2023年起" in body
    city = client_for("fgw").get("/reporting/without-annual-plan/?year=2023").content.decode()
    assert mine.name in city and theirs.name in city


def test_the_first_year_needs_no_annual_plan_and_an_opened_year_does(two_years, make_project, client_for):
    project = make_project("jinshui", stage="construction", annual_plan_wan=None)
    body = client_for("fgw").get("/reporting/without-annual-plan/?year=2022").content.decode()
    assert "尚未通过 year-open 开启" in body
    for code in ("2022-07", "2023-03"):
        period_open(code)
    assert project in reportable_projects(user=policy.SYSTEM, unit=project.unit, period=period_open("2022-07"))
    assert project in reportable_projects(user=policy.SYSTEM, unit=project.unit, period=period_open("2023-03"))
    year_open("2023")
    deadlines = list(Period.objects.filter(year=2023).order_by("month").values_list("month", "deadline"))
    assert len(deadlines) == 12 and all(day.month == month % 12 + 1 for month, day in deadlines)
    assert project in reportable_projects(user=policy.SYSTEM, unit=project.unit, period=period_open("2022-07"))
    assert project not in reportable_projects(user=policy.SYSTEM, unit=project.unit, period=period_open("2023-03"))


def test_year_open_is_refused_to_a_unit_user(two_years, users):
    with pytest.raises(CommandError, match="市发展改革委"):
        call_command("year_open", "2023", "--as", "jinshui", stdout=io.StringIO())
    assert not ReportingYear.objects.exists() and not Period.objects.filter(year=2023).exists()
