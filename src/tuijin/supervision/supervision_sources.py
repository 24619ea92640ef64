"""The supervision app's own source: last-place escalations (末位增速约谈, 三(三)) to follow up.

Every stored escalation (``tuijin.assessment.models.Escalation``) of a month before the as-of date's
month (a month's ranking is known only after it) that is not closed becomes one task for the unit, with the measure and deadline of its level.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tuijin.assessment.models import Escalation, EscalationStatus
from tuijin.plan import plan_for_period, plan_on
from tuijin.toolkit.periods import period_code

MEASURES = {
    "notice": "对本月投资增速排名末位予以通报批评；请分析原因、制定整改措施，按月报送整改进展。",
    "deputy_talk": "连续两个月排名末位，由市分管领导约谈相关负责同志；请提交书面整改方案并按月报告。",
    "mayor_talk": "连续三个月排名末位，由市主要领导约谈主要负责同志；请制定专项攻坚方案，逐项明确责任人和时限。",
}


def escalation_candidates(as_of: dt.date) -> list[dict[str, Any]]:
    plan = plan_on(as_of)  # the deadlines of a task assigned on ``as_of``
    days = plan.supervision.escalation_deadline_days if plan.supervision is not None else {}
    labels: dict[tuple[int, int], dict[str, str]] = {}  # an escalation's level is named by its month's plan
    rows = (Escalation.objects.select_related("org").exclude(status=EscalationStatus.CLOSED)
            .filter(year__lte=as_of.year).order_by("year", "month", "org__sort_order"))
    out = []
    for e in rows:
        if (e.year, e.month) >= (as_of.year, as_of.month):
            continue  # a month's ranking is known only after the month
        if (e.year, e.month) not in labels:
            ladder = plan_for_period(period_code(e.year, e.month)).rules.escalation.ladder
            labels[(e.year, e.month)] = {step.level: step.label for step in ladder}
        out.append({
            "key": f"{e.org.code}:{e.year}-{e.month:02d}:{e.indicator}",
            "org": e.org,
            "title": f"{e.org.name}{e.year}年{e.month}月投资增速排名末位（{labels[(e.year, e.month)].get(e.level, e.level)}）",
            "measure": MEASURES.get(e.level, ""),
            "link": "/assessment/escalations/",
            "deadline_days": days.get(e.level),
        })
    return out


def supervision_sources() -> dict:
    return {"escalation": escalation_candidates}
