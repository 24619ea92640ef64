"""The per-unit monthly summary (DESIGN §8): key-project figures and each unit's worst lagging projects."""

from __future__ import annotations

import datetime as dt

from tuijin.audit.context import audit_context
from tuijin.orgs.policy import SYSTEM
from tuijin.toolkit.money import wan_to_yuan


def test_the_citys_worst_lagging_projects_are_merged_from_each_units_kept_worst(orgs, make_project):
    from tuijin.reporting import selectors as reporting
    from tuijin.reporting.models import Period, ProgressReport, UnitMonthSummary
    from tuijin.reporting.summary import WORST_KEPT, refresh_unit_month_summary

    with audit_context(source="system"):
        period = Period.objects.create(code="2022-06", year=2022, month=6, opens_on=dt.date(2022, 6, 1),
                                       deadline=dt.date(2022, 7, 8))
    # 金水区 has 14 lagging key projects, 中原区 4 (its two worst worse than most of 金水区's), and one
    # on-track key project and one lagging non-key project each, which never count.
    ytds = {"jinshui": [10 * i for i in range(14)], "zhongyuan": [5, 15, 200, 300]}
    with audit_context(source="system"):
        for code, values in ytds.items():
            for ytd in values:
                project = make_project(code, tags=("city_key",), annual_plan_wan="1000")
                ProgressReport.objects.create(unit=project.unit, period=period, project=project, status="approved",
                                              ytd_amount_yuan=wan_to_yuan(ytd))
            for tags, ytd in ((("city_key",), 900), ((), 0)):
                project = make_project(code, tags=tags, annual_plan_wan="1000")
                ProgressReport.objects.create(unit=project.unit, period=period, project=project, status="approved",
                                              ytd_amount_yuan=wan_to_yuan(ytd))
    assert refresh_unit_month_summary(period=period) == 2
    rows = {s.unit.code: s for s in UnitMonthSummary.objects.select_related("unit")}
    assert rows["jinshui"].key_lagging == 14 and rows["zhongyuan"].key_lagging == 4
    assert len(rows["jinshui"].key_worst_lagging) == WORST_KEPT
    assert rows["jinshui"].key_ytd_amount_yuan == wan_to_yuan(sum(ytds["jinshui"]) + 900)
    assert rows["jinshui"].key_projects_reported == 15 and rows["jinshui"].projects_reported == 16
    for limit in (3, 10):
        expected = reporting.lagging_key_projects(user=SYSTEM, year=2022, month=6, limit=limit)
        assert reporting.lagging_from_summary(user=SYSTEM, year=2022, month=6, limit=limit) == expected
        assert {row["unit_code"] for row in expected} == {"jinshui", "zhongyuan"}
    assert reporting.key_figures(user=SYSTEM, year=2022, month=6).lagging_projects == 18
