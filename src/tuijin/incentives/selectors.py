"""Reads of incentives: the facts the scan uses, proposal and application lists, the budget view.

Every function takes ``user`` and goes through ``visible_to`` (a unit sees its own projects' rows only;
departments and the city see all). The scan's facts are read city-wide: the scan passes ``policy.SYSTEM``,
and so do the checks of one application (its cap and facts count every row of the project, whoever asks).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from tuijin.assessment import selectors as assessment
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.orgs.policy import Principal
from tuijin.plan import current_plan, plan_for
from tuijin.projects.models import Project, Stage
from tuijin.reporting.models import ProgressReport, SubmissionStatus
from tuijin.toolkit.errors import NotFound
from tuijin.toolkit.money import format_wan, yuan_to_wan

from . import rules
from .models import (
    COMMITTED_STATUSES,
    Application,
    ApplicationStatus,
    IncentiveRule,
    Proposal,
    ProposalStatus,
)

PRODUCTION_WORDS = ("投产",)


# --- facts ----------------------------------------------------------------------------------------------------


def first_year_fai(*, user: Principal, project_ids: Iterable[int],
                   starts: dict[int, dt.date]) -> dict[int, dict[str, Any]]:
    """First-year actual FAI (二(六)16) per project: approved monthly reports in the twelve months from
    the start month. ``{project_id: {"yuan": int, "months": n, "window": (first, last)}}``."""
    ids = [pid for pid in project_ids if starts.get(pid)]
    result: dict[int, dict[str, Any]] = {}
    if not ids:
        return result
    windows = {pid: rules.first_year_window(starts[pid]) for pid in ids}
    years = {y for first, last in windows.values() for y in (first[0], last[0])}
    rows = (ProgressReport.objects.visible_to(user).filter(project_id__in=ids, status=SubmissionStatus.APPROVED,
                                                           period__year__in=years)
            .values_list("project_id", "period__year", "period__month", "month_amount_yuan"))
    for pid in ids:
        result[pid] = {"yuan": 0, "months": 0, "window": windows[pid]}
    for pid, year, month, amount in rows:
        first, last = windows[pid]
        if first <= (year, month) <= last:
            result[pid]["yuan"] += amount
            result[pid]["months"] += 1
    return result


def reported_production(*, user: Principal, project_ids: Iterable[int], year: int) -> dict[int, str]:
    """Projects whose approved reports of ``year`` say they are in production: id → period code."""
    found: dict[int, str] = {}
    word = Q()
    for w in PRODUCTION_WORDS:
        word |= Q(physical_progress__contains=w)
    rows = (ProgressReport.objects.visible_to(user)
            .filter(project_id__in=list(project_ids), status=SubmissionStatus.APPROVED, period__year=year).filter(word)
            .order_by("period__month").values_list("project_id", "period__code"))
    for pid, code in rows:
        found.setdefault(pid, code)
    return found


# --- lists ----------------------------------------------------------------------------------------------------


def proposals_for(*, user: User, year: int | None = None, rule: str = "", status: str = "",
                  unit: str = "") -> QuerySet[Proposal]:
    qs = Proposal.objects.visible_to(user).select_related("project", "unit", "decided_by")
    if year:
        qs = qs.filter(year=year)
    if rule:
        qs = qs.filter(rule=rule)
    if status:
        qs = qs.filter(status=status)
    if unit:
        qs = qs.filter(unit__code=unit)
    return qs.order_by("unit__sort_order", "rule", "project_id")


def proposal_get(*, user: User, proposal_id: int) -> Proposal:
    found = proposals_for(user=user).filter(pk=proposal_id).first()
    if found is None:
        raise NotFound("奖补线索不存在，或不在您的查看范围内")
    return found


def applications_for(*, user: User, rule: str = "", status: str = "", unit: str = "") -> QuerySet[Application]:
    qs = Application.objects.visible_to(user).select_related("project", "unit")
    if rule:
        qs = qs.filter(rule=rule)
    if status:
        qs = qs.filter(status=status)
    if unit:
        qs = qs.filter(unit__code=unit)
    return qs.order_by("-submitted_at", "-id")


def application_get(*, user: User, application_id: int) -> Application:
    found = (Application.objects.visible_to(user).select_related("project", "unit", "proposal")
             .prefetch_related("attachments").filter(pk=application_id).first())
    if found is None:
        raise NotFound("奖补申请不存在，或不在您的查看范围内")
    return found


# --- budget ---------------------------------------------------------------------------------------------------


def _quarter(moment: dt.datetime | dt.date | None) -> int | None:
    if moment is None:
        return None
    return (moment.month - 1) // 3 + 1


def budget_view(*, user: User, year: int | None = None) -> dict[str, Any]:
    """Committed and paid (万元) by rule, unit and quarter against the plan's budget line.

    Committed: approved (and paid) applications at their approved amount; confirmed proposals with
    a known amount and no live application; the quarterly evaluation awards (二(六)15) of the
    stored evaluations of the year (the newest per quarter). Paid: paid applications.
    """
    plan = plan_for(year) if year else current_plan()  # a year's budget line is its own plan's
    inc = plan.rules.incentives
    year = year or (inc.budget_year if inc else plan.meta.year)
    budget = {k: int(Decimal(v) * 10000) for k, v in (inc.budget_wan.items() if inc else [])}
    own_unit = policy.unit_scope(user)

    lines: list[dict[str, Any]] = []  # {rule, unit_id, quarter, committed, paid}
    apps = (Application.objects.visible_to(user).filter(status__in=COMMITTED_STATUSES, period=year)
            .values("rule", "unit_id", "approved_at", "approved_amount_yuan", "status", "paid_at",
                    "paid_amount_yuan", "proposal_id"))
    with_application = set()
    for a in apps:
        lines.append({"rule": a["rule"], "unit_id": a["unit_id"], "quarter": _quarter(a["approved_at"]),
                      "committed": a["approved_amount_yuan"] or 0, "paid": 0})
        if a["status"] == ApplicationStatus.PAID:
            lines.append({"rule": a["rule"], "unit_id": a["unit_id"], "quarter": _quarter(a["paid_at"]),
                          "committed": 0, "paid": a["paid_amount_yuan"] or 0})
    with_application = set(Application.objects.visible_to(user).exclude(status=ApplicationStatus.REJECTED)
                           .exclude(proposal=None).values_list("proposal_id", flat=True))
    for p in (Proposal.objects.visible_to(user).filter(status=ProposalStatus.CONFIRMED, year=year,
                                                       amount_yuan__isnull=False)
              .values("id", "rule", "unit_id", "decided_at", "amount_yuan")):
        if p["id"] not in with_application:
            lines.append({"rule": p["rule"], "unit_id": p["unit_id"], "quarter": _quarter(p["decided_at"]),
                          "committed": p["amount_yuan"], "paid": 0})
    lines += _evaluation_awards(user=user, year=year, unit=own_unit)

    units = {o.pk: o for o in Org.objects.reporting_units()}
    rule_names = dict(IncentiveRule.choices)
    rule_names["quarterly_awards"] = "季度评价奖励"
    by_rule: dict[str, dict[str, int]] = defaultdict(lambda: {"committed": 0, "paid": 0})
    by_unit: dict[int, dict[str, int]] = defaultdict(lambda: {"committed": 0, "paid": 0})
    by_quarter: dict[int, dict[str, int]] = defaultdict(lambda: {"committed": 0, "paid": 0})
    for line in lines:
        for key in ("committed", "paid"):
            by_rule[line["rule"]][key] += line[key]
            by_unit[line["unit_id"]][key] += line[key]
            if line["quarter"]:
                by_quarter[line["quarter"]][key] += line[key]
    rule_rows = []
    for code in [*budget, *[c for c in by_rule if c not in budget]]:
        b = budget.get(code)
        c, p = by_rule[code]["committed"], by_rule[code]["paid"]
        rule_rows.append({"rule": code, "name": str(rule_names.get(code, code)), "budget_wan": yuan_to_wan(b),
                          "committed_wan": yuan_to_wan(c), "paid_wan": yuan_to_wan(p),
                          "remaining_wan": yuan_to_wan(b - c) if b is not None else None,
                          "committed_percent": round(c * 100 / b, 1) if b else None})
    unit_rows = [{"unit": units[uid].code, "name": units[uid].display_name,
                  "committed_wan": yuan_to_wan(v["committed"]), "paid_wan": yuan_to_wan(v["paid"])}
                 for uid, v in sorted(by_unit.items(), key=lambda kv: units[kv[0]].sort_order if kv[0] in units else 0)
                 if uid in units]
    quarter_rows = [{"quarter": q, "committed_wan": yuan_to_wan(by_quarter[q]["committed"]),
                     "paid_wan": yuan_to_wan(by_quarter[q]["paid"])} for q in (1, 2, 3, 4)]
    total_budget = sum(budget.values())
    total_committed = sum(v["committed"] for v in by_rule.values())
    total_paid = sum(v["paid"] for v in by_rule.values())
    return {"year": year, "rules": rule_rows, "units": unit_rows, "quarters": quarter_rows,
            "total": {"budget_wan": yuan_to_wan(total_budget), "committed_wan": yuan_to_wan(total_committed),
                      "paid_wan": yuan_to_wan(total_paid)},
            "labels": {"budget": format_wan(total_budget), "committed": format_wan(total_committed),
                       "paid": format_wan(total_paid)}}


def _evaluation_awards(*, user: Any, year: int, unit: Org | None) -> list[dict[str, Any]]:
    """The quarterly ranking awards (二(六)15) of the newest stored evaluation of each quarter."""
    return [{"rule": "quarterly_awards", "unit_id": r["org_id"], "quarter": r["quarter"],
             "committed": r["award_yuan"], "paid": 0}
            for r in assessment.quarterly_awards(user=user, year=year, unit=unit)]


def scan_candidates(*, user: Principal, year: int) -> dict[str, list[Project]]:
    """The library's projects each rule's scan looks at (cheap SQL filters; the rules decide)."""
    plan = plan_for(year)
    r = plan.rules
    library = Project.objects.visible_to(user)
    lowest_total = min(t.min_total_wan for t in r.interest_subsidy.tiers) * 10000
    interest = library.filter(
        actual_start__gte=dt.date(year - 1, 1, 1), actual_start__lte=dt.date(year, 12, 31),
        total_investment_yuan__gte=int(lowest_total)).exclude(stage=Stage.CANCELLED)
    if r.interest_subsidy.manufacturing_only:
        interest = interest.filter(category__in=r.interest_subsidy.manufacturing_categories)
    equipment = library.filter(category=r.equipment_award.category,
                                       total_investment_yuan__gte=int(r.equipment_award.min_total_wan * 10000),
                                       nature__in=r.equipment_award.natures,
                                       actual_start__isnull=False).exclude(stage=Stage.CANCELLED)
    early = Project.objects.none()
    if r.early_start.to_year == year:
        early = library.filter(category__in=r.early_start.categories,
                                       investment_type__in=r.early_start.investment_types,
                                       planned_start__gte=dt.date(r.early_start.from_year, 1, 1),
                                       actual_start__year=year).exclude(stage=Stage.CANCELLED)
    return {"interest_subsidy": list(interest.select_related("unit")),
            "equipment_award": list(equipment.filter(Q(actual_end__year=year) | Q(actual_end__isnull=True))
                                    .select_related("unit")),
            "early_start": list(early.select_related("unit"))}


def committed_for(*, user: Principal, project_id: int, rule: str, exclude_id: int | None = None) -> int:
    """Approved (and paid) amounts of a project's applications under one rule (yuan); the cap check
    passes ``policy.SYSTEM``: it counts every committed application, whoever approves."""
    qs = Application.objects.visible_to(user).filter(project_id=project_id, rule=rule, status__in=COMMITTED_STATUSES)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.aggregate(s=Sum("approved_amount_yuan"))["s"] or 0
