"""Reads of the programmes: the figure sets behind every programme page, API and bulletin section.

Every figure set is scoped: it starts from ``Project.objects.visible_to(user)`` (a reporting unit
sees its own unit's figures only, city-wide roles see every unit), groups by one dimension
(unit, field, department, reconstruction category, fund source) and returns plain JSON-ready
data, the same dict for the page and for ``/api/v1/programmes/…``::

    {"programme": "key_projects", "title": …, "period": "2022-06", "as_of": "2022-06-30",
     "time_progress": 50.0, "by": "unit", "columns": [{"key", "label", "kind", "drill"}],
     "rows": [{"code", "name", <column key>: value, …}], "total": {<column key>: value, …},
     "targets": [{"key", "label", "target", "actual", "unit", "source", "rate"}]}

Counts are projects (or items) and drill down to the projects behind them through the same
``Q`` the count used (:func:`programme_projects`). Money is 万元 (two decimals), rates percent.
A bounded number of queries per call, whatever the number of projects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from tuijin.orgs import policy
from tuijin.orgs.models import User, units_visible_to
from tuijin.orgs.policy import Principal
from tuijin.plan import Plan, current_plan, default_year, plan_for_period, plan_on
from tuijin.projects.models import (
    KEY_PROJECT_TAGS,
    AnnualPlan,
    ApprovalItem,
    ApprovalStatus,
    FundingSource,
    Project,
    ProjectTag,
    Stage,
    StageMove,
)
from tuijin.reporting.models import ProgressReport, SubmissionStatus, UnitPeriod
from tuijin.toolkit.errors import NotFound, ValidationFailed
from tuijin.toolkit.money import wan_to_yuan
from tuijin.toolkit.periods import Month, parse_period

from . import rules
from .formatting import num, wan, yi
from .models import Batch, BatchEntry, ListKind

PROGRAMMES = ("key_projects", "approvals", "batches", "shortfall_982", "reconstruction", "statistics", "land",
              "funding", "reserve")
_CENT = Decimal("0.01")
MAX_BATCH_NUMBER = 32767  # PositiveSmallIntegerField


class AsOf(Month):
    """The month the figures are for: approved year-to-date amounts of ``year-month``, dates up to ``end``
    (its ``code`` and ``time_progress`` are the toolkit month's)."""

    @property
    def end(self) -> dt.date:
        return self.last_day

    @property
    def plan(self) -> Plan:
        """The plan governing this month: its year's, as amended at the month's end."""
        return plan_for_period(self.code)


def _plan_on(day: dt.date | None) -> Plan:
    """The plan governing ``day`` (:func:`tuijin.plan.plan_on`); without a day, the clock's."""
    return current_plan() if day is None else plan_on(day)


def resolve_period(*, user: Principal, period: str | None) -> AsOf:
    """``YYYY-MM`` → :class:`AsOf`; empty: the latest period approved for any unit (whoever asks: it is
    the month every programme's figures are for), else December of the business date's year."""
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    if period:
        return AsOf(*parse_period(period))
    latest = (UnitPeriod.objects.filter(status=SubmissionStatus.APPROVED)
              .order_by("-period__year", "-period__month").values_list("period__year", "period__month").first())
    if latest:
        return AsOf(*latest)
    return AsOf(default_year(), 12)


# --- dimensions ----------------------------------------------------------------------------------------------------

#: dimension → (path on Project, Chinese label)
DIMENSIONS = {
    "unit": ("unit__code", "单位"),
    "field": ("field", "领域"),
    "department": ("departments__code", "责任部门"),
    "category": ("reconstruction_category", "类别"),
}


def _groups(user: User, by: str, plan: Plan) -> list[tuple[str, str]]:
    if by == "unit":
        return [(o.code, o.display_name) for o in units_visible_to(user).order_by("sort_order")]
    if by == "field":
        return [(f.code, f.name) for f in plan.fields]
    if by == "department":
        return [(d.code, d.name) for d in plan.departments]
    if by == "category":
        return [(c.code, c.name) for c in plan.rules.reconstruction_categories.items]
    if by == "source":
        return [(c.code, c.name) for c in plan.rules.fund_sources.items]
    raise ValidationFailed(f"未知的分组“{by}”", field="by")


def _check_by(by: str, allowed: tuple[str, ...]) -> None:
    if by not in allowed:
        raise ValidationFailed(f"分组应为 {'、'.join(allowed)} 之一，实际为“{by}”", field="by")


def _grouped(qs: QuerySet, path: str | None, **annotations: Any) -> dict[Any, dict[str, Any]]:
    """``{group: {name: value}}`` for ``path``, or ``{None: …}`` (the total) when ``path`` is None."""
    if path is None:
        return {None: qs.order_by().aggregate(**annotations)}
    return {row[path]: row for row in qs.order_by().values(path).annotate(**annotations)}


def _count(q: Q) -> Count:
    return Count("id", filter=q, distinct=True)


def _column(key: str, label: str, kind: str, drill: bool = False) -> dict[str, Any]:
    return {"key": key, "label": label, "kind": kind, "drill": drill}


def _target(plan: Plan, key: str, actual: float | int | None) -> dict[str, Any]:
    target = plan.targets[key]
    value = float(target.value)
    rate = num(rules.percent(Decimal(str(actual or 0)), Decimal(str(value)))) if target.unit != "percent" else None
    return {"key": key, "label": target.label, "target": value, "actual": actual, "unit": target.unit,
            "source": target.source, "rate": rate}


def _base(user: User) -> QuerySet[Project]:
    return Project.objects.visible_to(user).exclude(stage=Stage.CANCELLED)


def _key_project_ids() -> QuerySet:
    # A subquery, not a join: a project tagged both provincial and city key counts once.
    return ProjectTag.objects.filter(tag__in=KEY_PROJECT_TAGS).values("project_id")


def _tagged(tag: str) -> QuerySet:
    return ProjectTag.objects.filter(tag=tag).values("project_id")


# --- programme definitions ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Programme:
    key: str
    title: str
    dimensions: tuple[str, ...]
    base: Callable[[User, AsOf], QuerySet[Project]]
    measures: Callable[[AsOf], dict[str, Q]]  # drillable project counts


def _key_base(user: User, as_of: AsOf) -> QuerySet[Project]:
    return _base(user).filter(id__in=_key_project_ids())


def _key_measures(a: AsOf) -> dict[str, Q]:
    due = Q(planned_end__year=a.year, planned_end__lte=a.end)
    return {
        "projects": Q(),
        "planned_starts": Q(planned_start__year=a.year),
        "started": Q(planned_start__year=a.year, actual_start__lte=a.end),
        "new_starts": Q(actual_start__year=a.year, actual_start__lte=a.end),
        "due_completion": due,
        "on_time": due & Q(actual_end__isnull=False, actual_end__lte=F("planned_end")),
    }


def _tag_base(tag: str) -> Callable[[User, AsOf], QuerySet[Project]]:
    return lambda user, as_of: _base(user).filter(id__in=_tagged(tag))


def _progress_measures(a: AsOf) -> dict[str, Q]:
    return {
        "projects": Q(),
        "started": Q(actual_start__lte=a.end),
        "completed": Q(actual_end__lte=a.end),
    }


def _statistics_base(user: User, as_of: AsOf) -> QuerySet[Project]:
    threshold = as_of.plan.rules.statistics_inclusion.threshold_wan
    return _base(user).filter(actual_start__lte=as_of.end, total_investment_yuan__gte=wan_to_yuan(threshold))


def _statistics_measures(a: AsOf) -> dict[str, Q]:
    included = Q(in_statistics=True) & (Q(statistics_date__isnull=True) | Q(statistics_date__lte=a.end))
    return {"due": Q(), "included": included, "missing": ~included}


def _land_base(user: User, as_of: AsOf) -> QuerySet[Project]:
    return _base(user).filter(Q(land_need_mu__gt=0) | Q(id__in=_tagged("whitelist")) | Q(id__in=_tagged("land_support")))


def _land_measures(a: AsOf) -> dict[str, Q]:
    return {
        "land_projects": Q(land_need_mu__gt=0),
        "pending": Q(land_need_mu__gt=0, land_quota_status="pending"),
        "partial": Q(land_need_mu__gt=0, land_quota_status="partial"),
        "secured": Q(land_need_mu__gt=0, land_quota_status="secured"),
        "whitelist": Q(id__in=_tagged("whitelist")),
        "land_support": Q(id__in=_tagged("land_support")),
    }


def _reserve_base(user: User, as_of: AsOf) -> QuerySet[Project]:
    return _base(user)


def _reserve_measures(a: AsOf) -> dict[str, Q]:
    measures = {"reserve": Q(stage=Stage.RESERVE)}
    for level in a.plan.rules.maturity_levels.codes():
        measures[f"maturity_{level}"] = Q(stage=Stage.RESERVE, maturity=level)
    measures["year_plan"] = Q(id__in=AnnualPlan.objects.filter(year=a.year, amount_yuan__gt=0).values("project_id"))
    measures["transferred"] = Q(id__in=StageMove.objects.filter(from_stage=Stage.RESERVE, to_stage=Stage.READY,
                                                                at__year=a.year).values("project_id"))
    return measures


def _funding_base(user: User, as_of: AsOf) -> QuerySet[Project]:
    return _base(user).filter(id__in=FundingSource.objects.values("project_id"))


PROGRAMME_DEFS: dict[str, Programme] = {
    "key_projects": Programme("key_projects", "重点项目“8946”促进计划", ("unit", "field"), _key_base, _key_measures),
    "shortfall_982": Programme("shortfall_982", "补短板“982”工程", ("unit", "department"),
                               _tag_base("shortfall_982"), _progress_measures),
    "reconstruction": Programme("reconstruction", "灾后恢复重建", ("category", "unit", "department"),
                                _tag_base("reconstruction"), _progress_measures),
    "statistics": Programme("statistics", "入库纳统", ("unit", "department"), _statistics_base, _statistics_measures),
    "land": Programme("land", "用地保障", ("unit",), _land_base, _land_measures),
    "reserve": Programme("reserve", "项目谋划储备（四库）", ("unit",), _reserve_base, _reserve_measures),
    "funding": Programme("funding", "资金保障", ("unit",), _funding_base, lambda a: {"projects": Q()}),
}


def _counts(programme: Programme, user: User, a: AsOf, path: str | None) -> dict[Any, dict[str, Any]]:
    measures = programme.measures(a)
    return _grouped(programme.base(user, a), path, **{k: _count(q) for k, q in measures.items()})


def _money_sums(base: QuerySet[Project], a: AsOf, path: str | None, *, funds: bool = True,
                ytd: bool = True, plan: bool = True) -> dict[str, dict[Any, dict[str, Any]]]:
    """Annual plan, approved ytd and funds (planned, in place) of the projects of ``base``, grouped."""
    ppath = f"project__{path}" if path else None
    ids = base.values("pk")
    out: dict[str, dict[Any, dict[str, Any]]] = {}
    if plan:
        out["plan"] = _grouped(AnnualPlan.objects.filter(year=a.year, project__in=ids), ppath, s=Sum("amount_yuan"))
    if ytd:
        out["ytd"] = _grouped(ProgressReport.objects.filter(period__year=a.year, period__month=a.month,
                                                           status=SubmissionStatus.APPROVED, project__in=ids),
                              ppath, s=Sum("ytd_amount_yuan"))
    if funds:
        out["funds"] = _grouped(FundingSource.objects.filter(project__in=ids), ppath,
                                planned=Sum("planned_yuan"), in_place=Sum("in_place_yuan"))
    return out


def _get(table: dict[Any, dict[str, Any]], key: Any, name: str) -> int:
    return (table.get(key) or {}).get(name) or 0


def _assemble(user: User, by: str, path_key: Callable[[str | None], Any], compute: Callable[[Any], dict[str, Any]],
              skip_empty: bool = False, empty_key: str = "", *, plan: Plan) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows = []
    for code, name in _groups(user, by, plan):
        values = compute(code)
        if skip_empty and not values.get(empty_key):
            continue
        rows.append({"code": code, "name": name, **values})
    return rows, compute(None)


def _envelope(programme: str, title: str, a: AsOf, by: str, columns: list[dict[str, Any]], rows: list[dict[str, Any]],
              total: dict[str, Any], targets: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {"programme": programme, "title": title, "period": a.code, "as_of": a.end.isoformat(),
            "time_progress": float(a.time_progress), "by": by, "columns": columns, "rows": rows, "total": total,
            "targets": targets or [], **extra}


# --- 1. key projects ("8946", 二(二)5) ------------------------------------------------------------------------------

KEY_COLUMNS = [
    _column("projects", "重点项目数", "count", True),
    _column("planned_starts", "计划当年开工", "count", True),
    _column("started", "已开工", "count", True),
    _column("start_rate", "开工率%", "rate"),
    _column("plan_wan", "年度计划投资（万元）", "money"),
    _column("ytd_wan", "本年累计完成（万元）", "money"),
    _column("completion_rate", "投资完成率%", "rate"),
    _column("lagging", "低于序时进度", "flag"),
    _column("funds_rate", "资金到位率%", "rate"),
    _column("due_completion", "应竣工", "count", True),
    _column("on_time", "按期竣工", "count", True),
    _column("on_time_rate", "按期竣工率%", "rate"),
    _column("approval_rate", "审批率%", "rate"),
]


def key_project_figures(*, user: User, period: str | None = None, by: str = "unit") -> dict[str, Any]:
    """The key-project plan's figures and its four rates per unit or field (二(二)5). About a dozen queries."""
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    _check_by(by, ("unit", "field"))
    a = resolve_period(user=user, period=period)
    prog = PROGRAMME_DEFS["key_projects"]
    path = DIMENSIONS[by][0]
    base = prog.base(user, a)

    def tables(p: str | None) -> dict[str, Any]:
        ppath = f"project__{p}" if p else None
        done_by_end = Q(status=ApprovalStatus.DONE) & (Q(approved_on__isnull=True) | Q(approved_on__lte=a.end))
        done_in_year = Q(status=ApprovalStatus.DONE, approved_on__year=a.year, approved_on__lte=a.end)
        return {"counts": _counts(prog, user, a, p), **_money_sums(base, a, p),
                "approvals": _grouped(ApprovalItem.objects.filter(project__in=base.values("pk")), ppath,
                                      required=Count("id"), done=Count("id", filter=done_by_end),
                                      done_in_year=Count("id", filter=done_in_year))}

    grouped, whole = tables(path), tables(None)

    def compute(code: Any) -> dict[str, Any]:
        t = grouped if code is not None else whole
        c = t["counts"].get(code) or {}
        plan_y, ytd_y = _get(t["plan"], code, "s"), _get(t["ytd"], code, "s")
        comp = rules.completion_rate(ytd_yuan=ytd_y, plan_yuan=plan_y)
        return {
            "projects": c.get("projects", 0), "planned_starts": c.get("planned_starts", 0),
            "started": c.get("started", 0), "new_starts": c.get("new_starts", 0),
            "start_rate": num(rules.start_rate(planned=c.get("planned_starts", 0), started=c.get("started", 0))),
            "plan_wan": wan(plan_y), "ytd_wan": wan(ytd_y), "ytd_yi": yi(ytd_y),
            "completion_rate": num(comp), "lagging": rules.lagging(comp, a.time_progress),
            "funds_planned_wan": wan(_get(t["funds"], code, "planned")),
            "funds_in_place_wan": wan(_get(t["funds"], code, "in_place")),
            "funds_rate": num(rules.funds_in_place_rate(in_place_yuan=_get(t["funds"], code, "in_place"),
                                                         planned_yuan=_get(t["funds"], code, "planned"))),
            "due_completion": c.get("due_completion", 0), "on_time": c.get("on_time", 0),
            "on_time_rate": num(rules.on_time_completion_rate(due=c.get("due_completion", 0),
                                                              on_time=c.get("on_time", 0))),
            "approvals_required": _get(t["approvals"], code, "required"),
            "approvals_done": _get(t["approvals"], code, "done"),
            "approvals_done_in_year": _get(t["approvals"], code, "done_in_year"),
            "approval_rate": num(rules.approval_rate(required=_get(t["approvals"], code, "required"),
                                                     done=_get(t["approvals"], code, "done"))),
        }

    rows, total = _assemble(user, by, lambda c: c, compute, plan=a.plan)
    targets = [_target(a.plan, "key_projects", total["projects"]), _target(a.plan, "key_project_investment", total["ytd_yi"]),
               _target(a.plan, "new_starts", total["new_starts"]), _target(a.plan, "approval_items", total["approvals_done_in_year"])]
    # 首季“开门红” (二(二)5): Q1 investment is the approved year-to-date at March; the two rates are
    # shown as of the chosen month beside their Q1 targets.
    q1 = _q1_investment(base, a.year)
    targets += [_target(a.plan, "q1_investment", q1), _target(a.plan, "q1_approval_rate", total["approval_rate"]),
                _target(a.plan, "q1_start_rate", total["start_rate"])]
    return _envelope("key_projects", prog.title, a, by, KEY_COLUMNS, rows, total, targets)


def _q1_investment(base: QuerySet[Project], year: int) -> float:
    total = ProgressReport.objects.filter(period__year=year, period__month=3, status=SubmissionStatus.APPROVED,
                                          project__in=base.values("pk")).aggregate(s=Sum("ytd_amount_yuan"))["s"]
    return yi(total)


# --- 2. approvals (联审联批, 二(二)5、二(五)14) -----------------------------------------------------------------------

APPROVAL_COLUMNS = [
    _column("required", "审批事项", "count"),
    _column("done", "已办结", "count"),
    _column("approval_rate", "审批率%", "rate"),
    _column("overdue", "逾期未办结", "count", True),
]


def _approval_items(user: User) -> QuerySet[ApprovalItem]:
    return ApprovalItem.objects.visible_to(user).exclude(project__stage=Stage.CANCELLED)


def approval_figures(*, user: User, period: str | None = None, by: str = "unit") -> dict[str, Any]:
    """Approval items required, done, overdue and the approval rate per unit or approving department."""
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    _check_by(by, ("unit", "department"))
    a = resolve_period(user=user, period=period)
    path = "project__unit__code" if by == "unit" else "department__code"
    done_by_end = Q(status=ApprovalStatus.DONE) & (Q(approved_on__isnull=True) | Q(approved_on__lte=a.end))
    overdue = ~done_by_end & Q(due_date__lt=a.end)
    ann = {"required": Count("id"), "done": Count("id", filter=done_by_end), "overdue": Count("id", filter=overdue)}
    items = _approval_items(user)
    grouped, whole = _grouped(items, path, **ann), _grouped(items, None, **ann)

    def compute(code: Any) -> dict[str, Any]:
        t = (grouped.get(code) if code is not None else whole[None]) or {}
        required, done = t.get("required", 0), t.get("done", 0)
        return {"required": required, "done": done, "overdue": t.get("overdue", 0),
                "approval_rate": num(rules.approval_rate(required=required, done=done))}

    rows, total = _assemble(user, by, lambda c: c, compute, skip_empty=(by == "department"), empty_key="required",
                            plan=a.plan)
    return _envelope("approvals", "联审联批", a, by, APPROVAL_COLUMNS, rows, total,
                     [_target(a.plan, "q1_approval_rate", total["approval_rate"])])


def overdue_approvals(*, user: Principal, as_of: dt.date, unit: str | None = None,
                      department: str | None = None) -> QuerySet[ApprovalItem]:
    """Approval items not done whose due date has passed (for the weekly meeting; SYSTEM: all)."""
    items = ApprovalItem.objects.visible_to(user)
    items = (items.exclude(project__stage=Stage.CANCELLED).exclude(status=ApprovalStatus.DONE)
             .filter(due_date__lt=as_of).select_related("project__unit", "department")
             .order_by("due_date", "project__unit__sort_order", "id"))
    if unit:
        items = items.filter(project__unit__code=unit)
    if department:
        items = items.filter(department__code=department)
    return items


# --- 3. 三个一批 batches (二(二)6) -----------------------------------------------------------------------------------

BATCH_COLUMNS = [
    _column("signed", "签约项目", "count", True),
    _column("performing", "履约", "count", True),
    _column("fulfilment_rate", "履约率%", "rate"),
    _column("start_listed", "开工项目", "count", True),
    _column("started", "已开工", "count", True),
    _column("start_rate", "开工率%", "rate"),
    _column("production_listed", "投产项目", "count", True),
    _column("producing", "已投产", "count", True),
    _column("production_rate", "投产率%", "rate"),
    _column("at_capacity", "达产达效", "count", True),
    _column("capacity_rate", "达效率%", "rate"),
]


def _batch_measures(as_of: dt.date) -> dict[str, Q]:
    """Each batch figure as a filter on its entries (DESIGN §5 batch rates)."""
    return {
        "signed": Q(kind=ListKind.SIGNED),
        "performing": Q(kind=ListKind.SIGNED, company_registered=True, project__actual_start__lte=as_of),
        "start_listed": Q(kind=ListKind.STARTED),
        "started": Q(kind=ListKind.STARTED, project__actual_start__lte=as_of),
        "production_listed": Q(kind=ListKind.PRODUCING),
        "producing": Q(kind=ListKind.PRODUCING, project__in_production_on__lte=as_of),
        "at_capacity": Q(kind=ListKind.PRODUCING, project__in_production_on__lte=as_of,
                         project__at_capacity_on__lte=as_of),
    }


def _batch_values(c: dict[str, Any]) -> dict[str, Any]:
    g = {k: c.get(k, 0) or 0 for k in ("signed", "performing", "start_listed", "started", "production_listed",
                                        "producing", "at_capacity")}
    return {**g,
            "fulfilment_rate": num(rules.fulfilment_rate(signed=g["signed"], performing=g["performing"])),
            "start_rate": num(rules.batch_start_rate(listed=g["start_listed"], started=g["started"])),
            "production_rate": num(rules.production_rate(listed=g["production_listed"], producing=g["producing"])),
            "capacity_rate": num(rules.capacity_rate(producing=g["producing"], at_capacity=g["at_capacity"]))}


def batch_get(*, user: Principal, number: int | str | None) -> Batch:
    """A "三个一批" batch by number (the newest when none): batches are the city's, read by every business role."""
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    if number in (None, ""):
        batch = Batch.objects.order_by("-number").first()
    else:
        try:
            n = int(number)
        except (TypeError, ValueError):
            n = 0
        batch = Batch.objects.filter(number=n).first() if 0 < n <= MAX_BATCH_NUMBER else None
    if batch is None:
        raise NotFound("没有该期“三个一批”活动")
    return batch


def batch_figures(*, user: User, batch: int | str | None = None, as_of: dt.date | None = None) -> dict[str, Any]:
    """One batch's rates per unit and in total, plus every batch's totals (二(二)6), as of ``as_of``
    (default: the end of the latest approved month, like every programme figure). Four queries."""
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    as_of = as_of or resolve_period(user=user, period=None).end
    chosen = batch_get(user=user, number=batch)
    ann = {k: Count("id", filter=q) for k, q in _batch_measures(as_of).items()}
    entries = BatchEntry.objects.visible_to(user)
    grouped = _grouped(entries.filter(batch=chosen), "unit__code", **ann)
    per_batch = _grouped(entries, "batch__number", **ann)

    def compute(code: Any) -> dict[str, Any]:
        return _batch_values(grouped.get(code) or {} if code is not None else per_batch.get(chosen.number) or {})

    rows, total = _assemble(user, "unit", lambda c: c, compute, plan=_plan_on(as_of))
    batches = [{"number": b.number, "name": str(b), "held_on": b.held_on.isoformat(),
                **_batch_values(per_batch.get(b.number) or {})} for b in Batch.objects.order_by("number")]
    return {"programme": "batches", "title": "“三个一批”", "batch": chosen.number, "batch_name": str(chosen),
            "held_on": chosen.held_on.isoformat(), "as_of": as_of.isoformat(), "by": "unit",
            "columns": BATCH_COLUMNS, "rows": rows, "total": total, "batches": batches, "targets": []}


def batch_entries(*, user: User, batch: Batch, kind: str | None = None) -> QuerySet[BatchEntry]:
    entries = BatchEntry.objects.visible_to(user).filter(batch=batch).select_related("project", "unit")
    if kind:
        entries = entries.filter(kind=kind)
    return entries.order_by("kind", "unit__sort_order", "project__name")


# --- 4. "982" and reconstruction (二(二)5、二(二)7) -----------------------------------------------------------------

PROGRESS_COLUMNS = [
    _column("projects", "项目数", "count", True),
    _column("started", "已开工", "count", True),
    _column("completed", "已竣工", "count", True),
    _column("plan_wan", "年度计划投资（万元）", "money"),
    _column("ytd_wan", "本年累计完成（万元）", "money"),
    _column("completion_rate", "投资完成率%", "rate"),
    _column("funds_planned_wan", "计划资金（万元）", "money"),
    _column("funds_in_place_wan", "到位资金（万元）", "money"),
    _column("funds_rate", "资金到位率%", "rate"),
]


def _progress_figures(key: str, user: User, period: str | None, by: str) -> tuple[dict[str, Any], AsOf]:
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    prog = PROGRAMME_DEFS[key]
    _check_by(by, prog.dimensions)
    a = resolve_period(user=user, period=period)
    base = prog.base(user, a)
    path = DIMENSIONS[by][0]
    g = {"counts": _counts(prog, user, a, path), **_money_sums(base, a, path)}
    w = {"counts": _counts(prog, user, a, None), **_money_sums(base, a, None)}

    def compute(code: Any) -> dict[str, Any]:
        t = g if code is not None else w
        c = t["counts"].get(code) or {}
        plan_y, ytd_y = _get(t["plan"], code, "s"), _get(t["ytd"], code, "s")
        planned, in_place = _get(t["funds"], code, "planned"), _get(t["funds"], code, "in_place")
        return {"projects": c.get("projects", 0), "started": c.get("started", 0), "completed": c.get("completed", 0),
                "plan_wan": wan(plan_y), "ytd_wan": wan(ytd_y), "ytd_yi": yi(ytd_y),
                "completion_rate": num(rules.completion_rate(ytd_yuan=ytd_y, plan_yuan=plan_y)),
                "funds_planned_wan": wan(planned), "funds_in_place_wan": wan(in_place),
                "funds_rate": num(rules.funds_in_place_rate(in_place_yuan=in_place, planned_yuan=planned))}

    rows, total = _assemble(user, by, lambda c: c, compute, skip_empty=(by == "department"), empty_key="projects",
                            plan=a.plan)
    return _envelope(key, prog.title, a, by, PROGRESS_COLUMNS, rows, total), a


def shortfall_982_figures(*, user: User, period: str | None = None, by: str = "unit") -> dict[str, Any]:
    """The "982" projects' progress and funds per unit or department, against 874 / 2,395亿 (二(二)5)."""
    data, a = _progress_figures("shortfall_982", user, period, by)
    data["targets"] = [_target(a.plan, "shortfall_982_projects", data["total"]["projects"]),
                       _target(a.plan, "shortfall_982_investment", data["total"]["ytd_yi"])]
    return data


def reconstruction_figures(*, user: User, period: str | None = None, by: str = "category") -> dict[str, Any]:
    """The reconstruction checklist by category, unit or department; reservoirs one plan each (二(二)7)."""
    data, a = _progress_figures("reconstruction", user, period, by)
    reservoirs = PROGRAMME_DEFS["reconstruction"].base(user, a).filter(reconstruction_category="reservoir").count()
    data["targets"] = [_target(a.plan, "reconstruction_projects", data["total"]["projects"]),
                       _target(a.plan, "reconstruction_reservoirs", reservoirs)]
    return data


def reservoir_plans(*, user: User) -> QuerySet[Project]:
    """One plan per small or medium reservoir (一库一案): the reservoir projects, by unit and name."""
    return (_base(user).filter(id__in=_tagged("reconstruction"), reconstruction_category="reservoir")
            .select_related("unit").order_by("unit__sort_order", "reservoir_name", "id"))


# --- 5. statistics inclusion (二(七)19) ---------------------------------------------------------------------------

STATISTICS_COLUMNS = [
    _column("due", "应入库项目", "count", True),
    _column("included", "已入库", "count", True),
    _column("missing", "应入未入", "count", True),
    _column("inclusion_rate", "入库率%", "rate"),
]


def statistics_figures(*, user: User, period: str | None = None, by: str = "unit") -> dict[str, Any]:
    """Projects due for statistics, included, missing and the inclusion rate per unit or department."""
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    prog = PROGRAMME_DEFS["statistics"]
    _check_by(by, prog.dimensions)
    a = resolve_period(user=user, period=period)
    grouped, whole = _counts(prog, user, a, DIMENSIONS[by][0]), _counts(prog, user, a, None)

    def compute(code: Any) -> dict[str, Any]:
        c = (grouped.get(code) if code is not None else whole[None]) or {}
        due, included = c.get("due", 0), c.get("included", 0)
        return {"due": due, "included": included, "missing": c.get("missing", 0),
                "inclusion_rate": num(rules.percent(included, due))}

    rows, total = _assemble(user, by, lambda c: c, compute, skip_empty=(by == "department"), empty_key="due",
                            plan=a.plan)
    threshold = a.plan.rules.statistics_inclusion.threshold_wan
    return _envelope("statistics", prog.title, a, by, STATISTICS_COLUMNS, rows, total,
                     threshold_wan=float(threshold))


def missing_projects(*, user: Principal, as_of: dt.date | None = None) -> QuerySet[Project]:
    """应入未入 (二(七)19): started, not cancelled, total ≥ threshold, not in statistics (SYSTEM: all units)."""
    rule = _plan_on(as_of).rules.statistics_inclusion
    base = Project.objects.visible_to(user)
    qs = base.exclude(stage=Stage.CANCELLED).filter(actual_start__isnull=False, in_statistics=False,
                                                    total_investment_yuan__gte=wan_to_yuan(rule.threshold_wan))
    if as_of is not None:
        qs = qs.filter(actual_start__lte=as_of)
    return qs.select_related("unit").prefetch_related("departments").order_by(
        "unit__sort_order", "-total_investment_yuan", "id")


# --- 6. land (二(五)13) ----------------------------------------------------------------------------------------------

LAND_COLUMNS = [
    _column("land_projects", "有用地需求项目", "count", True),
    _column("land_need_mu", "用地需求（亩）", "area"),
    _column("pending", "指标待落实", "count", True),
    _column("partial", "部分落实", "count", True),
    _column("secured", "已落实", "count", True),
    _column("whitelist", "白名单项目", "count", True),
    _column("land_support", "国家用地保障项目", "count", True),
]


def land_figures(*, user: User, period: str | None = None, by: str = "unit") -> dict[str, Any]:
    """Land need (亩), quota status, whitelist and land-support projects per unit, against 65 and 28."""
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    _check_by(by, ("unit",))
    a = resolve_period(user=user, period=period)
    prog = PROGRAMME_DEFS["land"]
    path = DIMENSIONS[by][0]
    ann = {k: _count(q) for k, q in prog.measures(a).items()}
    base = prog.base(user, a)
    grouped, whole = _grouped(base, path, **ann), _grouped(base, None, **ann)
    areas = _grouped(base, path, mu=Sum("land_need_mu"))
    area_total = _grouped(base, None, mu=Sum("land_need_mu"))

    def compute(code: Any) -> dict[str, Any]:
        c = (grouped.get(code) if code is not None else whole[None]) or {}
        mu = ((areas.get(code) if code is not None else area_total[None]) or {}).get("mu") or Decimal(0)
        return {**{k: c.get(k, 0) for k in ann}, "land_need_mu": float(Decimal(mu).quantize(_CENT))}

    rows, total = _assemble(user, by, lambda c: c, compute, plan=a.plan)
    return _envelope("land", prog.title, a, by, LAND_COLUMNS, rows, total,
                     [_target(a.plan, "whitelist_projects", total["whitelist"]),
                      _target(a.plan, "land_support_projects", total["land_support"])])


def land_priority_list(*, user: User) -> QuerySet[Project]:
    """Projects still waiting for land quota, in the order the quota goes to them (priority, then size)."""
    return (_base(user).filter(land_need_mu__gt=0).exclude(land_quota_status="secured").select_related("unit")
            .order_by(F("land_priority").asc(nulls_last=True), "-land_need_mu", "id"))


# --- 7. funding (二(五)12) ------------------------------------------------------------------------------------------

FUNDING_COLUMNS = [
    _column("projects", "项目数", "count", True),
    _column("planned_wan", "计划资金（万元）", "money"),
    _column("in_place_wan", "到位资金（万元）", "money"),
    _column("funds_rate", "资金到位率%", "rate"),
    _column("gap_wan", "资金缺口（万元）", "money"),
]


def funding_figures(*, user: User, period: str | None = None, by: str = "unit") -> dict[str, Any]:
    """Funds planned and in place, and the funds-in-place rate, per unit or fund source."""
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    _check_by(by, ("unit", "source"))
    a = resolve_period(user=user, period=period)
    sources = FundingSource.objects.visible_to(user).exclude(project__stage=Stage.CANCELLED)
    path = "project__unit__code" if by == "unit" else "source"
    ann = {"projects": Count("project_id", distinct=True), "planned": Sum("planned_yuan"),
           "in_place": Sum("in_place_yuan")}
    grouped, whole = _grouped(sources, path, **ann), _grouped(sources, None, **ann)

    def compute(code: Any) -> dict[str, Any]:
        c = (grouped.get(code) if code is not None else whole[None]) or {}
        planned, in_place = c.get("planned") or 0, c.get("in_place") or 0
        return {"projects": c.get("projects", 0), "planned_wan": wan(planned), "in_place_wan": wan(in_place),
                "funds_rate": num(rules.funds_in_place_rate(in_place_yuan=in_place, planned_yuan=planned)),
                "gap_wan": wan(rules.financing_gap(planned_yuan=planned, in_place_yuan=in_place))}

    rows, total = _assemble(user, by, lambda c: c, compute, plan=a.plan)
    return _envelope("funding", "资金保障", a, by, FUNDING_COLUMNS, rows, total)


def financing_needs(*, user: User) -> list[dict[str, Any]]:
    """Projects whose loan sources are not yet in place (二(五)12), largest gap first: the list for
    bank matching events (政银企对接); key projects only when the plan says so. Two queries."""
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    plan = current_plan()
    rule = plan.rules.financing_needs
    codes = rule.sources if rule else ("bank_loan",)
    min_gap = wan_to_yuan(rule.min_gap_wan) if rule else 0
    sources = FundingSource.objects.visible_to(user).exclude(project__stage=Stage.CANCELLED).filter(source__in=codes)
    if rule is not None and rule.key_projects_only:
        sources = sources.filter(project_id__in=_key_project_ids())
    rows = (sources.order_by().values("project_id")
            .annotate(planned=Sum("planned_yuan"), in_place=Sum("in_place_yuan")))
    gaps = {r["project_id"]: (r["planned"] or 0, r["in_place"] or 0) for r in rows
            if rules.financing_gap(planned_yuan=r["planned"] or 0, in_place_yuan=r["in_place"] or 0) >= max(min_gap, 1)}
    projects = Project.objects.filter(pk__in=list(gaps)).select_related("unit")
    out = []
    for p in projects:
        planned, in_place = gaps[p.pk]
        out.append({"project_id": p.pk, "project_code": p.project_code or "", "name": p.name,
                    "unit": p.unit.display_name, "unit_code": p.unit.code, "owner": p.owner_name,
                    "field": plan.field_name(p.field) if p.field in {f.code for f in plan.fields} else p.field,
                    "total_wan": wan(p.total_investment_yuan), "planned_wan": wan(planned),
                    "in_place_wan": wan(in_place),
                    "gap_wan": wan(rules.financing_gap(planned_yuan=planned, in_place_yuan=in_place)),
                    "contact": p.contact_name, "phone": p.contact_phone})
    out.sort(key=lambda r: (-r["gap_wan"], r["project_id"]))
    return out


# --- 8. reserve quality (四库, 二(三)9) ------------------------------------------------------------------------------

def reserve_figures(*, user: User, period: str | None = None, by: str = "unit") -> dict[str, Any]:
    """Reserve-library projects by maturity, transfers reserve → ready this year, and the year's
    planned projects against the plan's 2,020 projects / 5,839.9亿 (二(三)9)."""
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    _check_by(by, ("unit",))
    a = resolve_period(user=user, period=period)
    prog = PROGRAMME_DEFS["reserve"]
    path = DIMENSIONS[by][0]
    grouped, whole = _counts(prog, user, a, path), _counts(prog, user, a, None)
    year_ids = AnnualPlan.objects.filter(year=a.year, amount_yuan__gt=0, project__in=prog.base(user, a).values("pk"))
    plan_sums = _grouped(year_ids, "project__unit__code", s=Sum("amount_yuan"))
    plan_total = _grouped(year_ids, None, s=Sum("amount_yuan"))
    levels = a.plan.rules.maturity_levels.items
    columns = [_column("reserve", "储备库项目", "count", True),
               *[_column(f"maturity_{lv.code}", lv.name, "count", True) for lv in levels],
               _column("transferred", "本年转入拟开工库", "count", True),
               _column("year_plan", "年度计划项目", "count", True),
               _column("year_plan_wan", "年度计划投资（万元）", "money")]

    def compute(code: Any) -> dict[str, Any]:
        c = (grouped.get(code) if code is not None else whole[None]) or {}
        s = _get(plan_sums if code is not None else plan_total, code, "s")
        return {**{col["key"]: c.get(col["key"], 0) for col in columns if col["kind"] == "count"},
                "year_plan_wan": wan(s), "year_plan_yi": yi(s)}

    rows, total = _assemble(user, by, lambda c: c, compute, plan=a.plan)
    return _envelope("reserve", prog.title, a, by, columns, rows, total,
                     [_target(a.plan, "reserve_projects", total["year_plan"]),
                      _target(a.plan, "reserve_investment", total["year_plan_yi"])])


# --- drill-down ------------------------------------------------------------------------------------------------------

FIGURES: dict[str, Callable[..., dict[str, Any]]] = {
    "key_projects": key_project_figures,
    "approvals": approval_figures,
    "shortfall_982": shortfall_982_figures,
    "reconstruction": reconstruction_figures,
    "statistics": statistics_figures,
    "land": land_figures,
    "funding": funding_figures,
    "reserve": reserve_figures,
}


def programme_projects(*, user: User, programme: str, measure: str = "", period: str | None = None,
                       unit: str = "", field: str = "", department: str = "", category: str = "",
                       batch: str | None = None) -> QuerySet[Project]:
    """The projects behind one figure: the programme's base, the measure's filter and the group's."""
    policy.require(user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    a = resolve_period(user=user, period=period)
    if programme == "batches":
        chosen = batch_get(user=user, number=batch)
        measures = _batch_measures(a.end)
        q = measures.get(measure or "signed")
        if q is None:
            raise ValidationFailed(f"未知的指标“{measure}”", field="measure")
        entries = BatchEntry.objects.visible_to(user).filter(q, batch=chosen)
        qs = Project.objects.visible_to(user).filter(id__in=entries.values("project_id"))
    elif programme == "approvals":
        items = _approval_items(user)
        if measure == "overdue":
            items = overdue_approvals(user=user, as_of=a.end)
        if department:
            items = items.filter(department__code=department)
        qs = Project.objects.visible_to(user).filter(id__in=items.values("project_id"))
        department = ""
    elif programme in PROGRAMME_DEFS:
        prog = PROGRAMME_DEFS[programme]
        measures = prog.measures(a)
        if measure and measure not in measures:
            raise ValidationFailed(f"未知的指标“{measure}”", field="measure")
        qs = prog.base(user, a).filter(measures.get(measure) or Q())
    else:
        raise NotFound("没有该项目推进计划")
    if unit:
        if not units_visible_to(user).filter(code=unit).exists():
            raise NotFound("单位不存在或不在您的查看范围内")
        qs = qs.filter(unit__code=unit)
    if field:
        qs = qs.filter(field=field)
    if department:
        qs = qs.filter(departments__code=department)
    if category:
        qs = qs.filter(reconstruction_category=category)
    return qs.distinct().select_related("unit").prefetch_related("tag_links").order_by(
        "unit__sort_order", "-total_investment_yuan", "id")
