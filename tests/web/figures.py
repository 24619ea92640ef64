"""Small official statistics and key-project data for the cockpit and bulletin tests.

Sixteen units with FAI growth for April–June 2022 (登封市 last in all three months: a three-month
streak, 市主要领导约谈; 金水区 and 郑东新区 tied at the top in June), the city's figures for 2021 and
2022, two key projects with approved June reports (one behind time progress), and one started project
of 8,000万 missing from the statistics.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tuijin.audit.context import audit_context
from tuijin.toolkit.money import wan_to_yuan

YEAR, MONTH = 2022, 6
UNITS = ("zhongyuan", "erqi", "guancheng", "jinshui", "shangjie", "huiji", "zhongmou", "gongyi", "xingyang",
         "xinmi", "xinzheng", "dengfeng", "zhengdong", "jingkai", "gaoxin", "hangkonggang")
#: June FAI growth per unit (percent). jinshui and zhengdong tie at the top; dengfeng is last.
JUNE_FAI = dict(zip(UNITS, ("11.5", "9.8", "12.1", "15.2", "8.4", "10.6", "13.3", "7.9", "10.0", "9.1", "14.0",
                            "-3.2", "15.2", "12.8", "11.0", "6.5"), strict=True))
CITY = {"fai": ("12.4", 35_000_000), "industrial": ("16.1", 9_000_000), "infrastructure": ("14.3", 8_000_000),
        "real_estate": ("-2.5", 12_000_000)}
MISSING_NAME = "登封市应入未入测试项目"
LAGGING_NAME = "金水区滞后重点项目"


def load(orgs: dict[str, Any], make_project: Any) -> dict[str, Any]:
    from tuijin.projects.models import Project
    from tuijin.reporting.models import Period, ProgressReport
    from tuijin.reporting.summary import refresh_unit_month_summary
    from tuijin.stats.models import OfficialStat

    rows = []
    for month in (4, 5, 6):
        for i, code in enumerate(UNITS):
            base = Decimal(JUNE_FAI[code])
            growth = base if month == 6 else base + Decimal(month - 6) * Decimal("0.5") * (1 if i % 2 else -1)
            if code == "dengfeng":
                growth = Decimal("-3.2") - (6 - month)
            for indicator, offset in (("fai", 0), ("industrial", 3), ("infrastructure", 5), ("real_estate", -8)):
                rows.append(OfficialStat(org=orgs[code], indicator=indicator, year=YEAR, month=month,
                                         ytd_value_yuan=wan_to_yuan(100_000 * month + i * 1000),
                                         yoy_growth=growth + offset))
    for year in (2021, 2022):
        for month in range(1, 13 if year == 2021 else MONTH + 1):
            for indicator, (growth, ytd_wan) in CITY.items():
                value = Decimal(growth) if (year, month) == (YEAR, MONTH) else Decimal(growth) + Decimal(month - 6) / 4
                rows.append(OfficialStat(org=orgs["city"], indicator=indicator, year=year, month=month,
                                         ytd_value_yuan=wan_to_yuan(ytd_wan * month // 6), yoy_growth=value))
    with audit_context(source="system", reason="test fixture"):
        OfficialStat.objects.bulk_create(rows)
        periods = {m: Period.objects.create(code=f"2022-{m:02d}", year=YEAR, month=m, opens_on=dt.date(YEAR, m, 1),
                                            deadline=dt.date(YEAR, m, 28)) for m in (3, 6)}
    on_track = make_project("zhongyuan", tags=("city_key",), annual_plan_wan="1200", stage="construction",
                            actual_start=dt.date(2022, 3, 10), in_statistics=True, name="中原区正常推进重点项目")
    lagging = make_project("jinshui", tags=("provincial_key",), annual_plan_wan="2400", stage="construction",
                           actual_start=dt.date(2021, 5, 1), in_statistics=True, name=LAGGING_NAME)
    missing = make_project("dengfeng", annual_plan_wan="800", stage="construction", actual_start=dt.date(2022, 4, 2),
                           total_investment_yuan=wan_to_yuan("8000"), in_statistics=False, name=MISSING_NAME)
    small = make_project("dengfeng", annual_plan_wan="100", stage="construction", actual_start=dt.date(2022, 4, 2),
                         total_investment_yuan=wan_to_yuan("300"), in_statistics=False, name="登封市小项目")
    with audit_context(source="system", reason="test fixture"):
        for project, june, march in ((on_track, "700", "300"), (lagging, "600", "200")):
            for month, ytd in ((6, june), (3, march)):
                ProgressReport.objects.create(unit=project.unit, period=periods[month], project=project,
                                              month_amount_yuan=wan_to_yuan("100"), ytd_amount_yuan=wan_to_yuan(ytd),
                                              cumulative_amount_yuan=wan_to_yuan(ytd), status="approved")
        # What approving the periods does (reporting.services.unit_period_approve): refresh the summary.
        for period in periods.values():
            refresh_unit_month_summary(period=period)
    return {"projects": {p.name: p for p in Project.objects.filter(pk__in=[on_track.pk, lagging.pk, missing.pk,
                                                                              small.pk])}}
