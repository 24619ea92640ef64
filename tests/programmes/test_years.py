"""The programmes on a plan per year and the one clock (issue 15)."""

from __future__ import annotations

import pytest

from tuijin.plan import plan_for

pytestmark = pytest.mark.django_db

CHANGES = {"key_projects: {value: 900,": "key_projects: {value: 1000,", "threshold_wan: 500\n": "threshold_wan: 800\n"}


def _target(data: dict, key: str) -> float:
    return next(t["target"] for t in data["targets"] if t["key"] == key)


def test_a_2023_period_reads_the_2023_plans_targets_and_threshold(client_for, two_year_plans):
    two_year_plans(CHANGES)
    client = client_for("fgw")
    old = client.get("/api/v1/programmes/key_projects/", {"period": "2022-06"}).json()
    new = client.get("/api/v1/programmes/key_projects/", {"period": "2023-06"}).json()
    assert (_target(old, "key_projects"), _target(new, "key_projects")) == (900, 1000)
    stats_2022 = client.get("/api/v1/programmes/statistics/", {"period": "2022-06"}).json()
    stats_2023 = client.get("/api/v1/programmes/statistics/", {"period": "2023-06"}).json()
    assert (stats_2022["threshold_wan"], stats_2023["threshold_wan"]) == (500, 800)
    assert plan_for(2023).target("key_projects") == 1000


def test_without_an_approved_period_the_figures_are_for_the_business_dates_year(client_for, two_year_plans,
                                                                                business_date):
    two_year_plans(CHANGES)
    client = client_for("fgw")
    business_date("2022-07-15")
    data = client.get("/api/v1/programmes/key_projects/").json()
    assert data["period"] == "2022-12" and _target(data, "key_projects") == 900
    business_date("2023-03-01")
    data = client.get("/api/v1/programmes/key_projects/").json()
    assert data["period"] == "2023-12" and _target(data, "key_projects") == 1000


def test_an_inclusion_date_is_checked_against_the_business_date(make_project, bureau_users, tmp_path, capsys,
                                                                 business_date):
    """A blank date is the business date; a date after it is refused (at 2022-07-15, not at 2022-09-01)."""
    import datetime as dt

    import xlsxwriter
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from tuijin.projects.models import Project

    started = make_project("jinshui", actual_start=dt.date(2022, 3, 1), stage="construction")
    blank = make_project("zhongyuan", actual_start=dt.date(2022, 3, 1), stage="construction")
    path = tmp_path / "inclusion.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("入库名单")
    sheet.write_row(0, 0, ["项目代码", "入库日期"])
    sheet.write_row(1, 0, [started.project_code, "2022-08-20"])
    sheet.write_row(2, 0, [blank.project_code, ""])
    book.close()
    business_date("2022-07-15")
    with pytest.raises(CommandError):
        call_command("import_statistics_inclusion", str(path), "--as", "tjj")
    assert "第2行 入库日期：入库日期不能晚于今天" in capsys.readouterr().out
    business_date("2022-09-01")
    call_command("import_statistics_inclusion", str(path), "--as", "tjj")
    assert Project.objects.get(pk=started.pk).statistics_date == dt.date(2022, 8, 20)
    assert Project.objects.get(pk=blank.pk).statistics_date == dt.date(2022, 9, 1)
