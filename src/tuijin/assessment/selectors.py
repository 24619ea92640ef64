"""Reads of monitoring and assessment: rankings, escalations, evaluations, forecast, targets vs actuals.

The official statistics (``stats.OfficialStat``), not sums of project reports, drive rankings,
escalation and the forecast (DESIGN §4.6). The formulas are the pure functions of
:mod:`tuijin.assessment.rules`; the numbers come from the plan file. Every read here is a
bounded number of aggregate queries, whatever the number of units or projects.

Scope: ranks, growth figures, scores, awards and escalations are aggregates of a unit, which
every business user may see, reporting units included ("other units only as aggregates
(counts, sums, ranks)", DESIGN §4.2). So every selector takes the principal and asks the policy's
``read_business_data`` first (the three administrators are refused); bulletins, commands and jobs
read as ``policy.SYSTEM``. The doors never link to another unit's projects.

Selectors other modules use (cockpit, bulletins) — keep their names and shapes:

* :func:`unit_growth_ranking` ``(*, user, year, month, indicator="fai") -> list[dict(org, name, value, rank, …)]``
* :func:`escalation_list` ``(*, user, year, month) -> list[dict(org, name, streak, level, label, value)]``
* :func:`latest_evaluation` ``(*, user, year, quarter) -> Evaluation | None`` (results prefetched) and
  :func:`tuijin.assessment.presentation.evaluation_rows` ``(evaluation) -> list[dict]``
* :func:`forecast_rows` ``(*, user, year, month) -> list[dict(org, name, ytd_wan, last_year_total_wan,
  projected_growth, target, gap_points, needed_per_month_wan, likely_miss, …)]``
* :func:`city_figures` ``(*, user, year, month) -> dict[indicator → {ytd_wan, yoy_growth, target, …}]``
* :func:`targets_vs_actuals` ``(*, user, year, month) -> list[dict]`` (one row per unit)

The plan's units and indicators are :mod:`tuijin.assessment.plan_terms`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum

from tuijin.orgs import policy
from tuijin.orgs.models import REPORTING_KINDS, Org
from tuijin.orgs.policy import Principal
from tuijin.orgs.services import CITY_CODE
from tuijin.plan import Plan, plan_for_period
from tuijin.projects.models import (
    KEY_PROJECT_TAGS,
    AnnualPlan,
    ApprovalItem,
    ApprovalStatus,
    Project,
    ProjectTag,
    Stage,
)
from tuijin.reporting.models import ProgressReport, SubmissionStatus, UnitMonthSummary
from tuijin.stats.selectors import (
    default_target_name,
    latest_statistics_month,
    official_stats,
    plan_growth_target,
    unit_growth_targets,
)
from tuijin.toolkit import periods
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.money import YUAN_PER_WAN, wan_to_yuan
from tuijin.toolkit.periods import parse_quarter as parse_quarter
from tuijin.toolkit.periods import period_code as period_code
from tuijin.toolkit.periods import period_label as period_label
from tuijin.toolkit.periods import quarter_code as quarter_code
from tuijin.toolkit.periods import quarter_end as quarter_end
from tuijin.toolkit.periods import quarter_label as quarter_label
from tuijin.toolkit.periods import time_progress, year_elapsed
from tuijin.toolkit.ranking import last_place, rank_in_groups

from . import rules, streaks
from .models import Escalation, EscalationStatus, Evaluation, EvaluationResult
from .plan_terms import check_indicator, month_plan, quarter_plan, units

POINTS = Decimal("0.01")
#: The statistics indicator each evaluation indicator reads, where it reads one.
FAI = "fai"
#: How many prior years of monthly figures the forecast looks at for its monthly shares.
SHARE_YEARS = 5
#: The refusal of a principal the policy does not let read rankings, evaluations and the forecast.
READ_REFUSAL = "您的角色不查看排名、考核和预测"
SHARES_SOURCE_LABELS = {
    "unit": "本单位往年",
    "city": "全市往年",
    "time_progress": "序时进度（无往年数据）",
}


# --- periods and who may read ---------------------------------------------------------------------


#: '2022-06' → (2022, 6): the toolkit's month, refused as a statistical period (统计期应为 YYYY-MM 格式…).
parse_period = partial(periods.parse_period, what="统计期", example="2022-06")


# --- the plan's units and indicators --------------------------------------------------------------


def _q(value: Decimal | None, quant: Decimal = POINTS) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(quant, rounding=ROUND_HALF_UP)


def _wan(amount_yuan: int | Decimal | None) -> Decimal | None:
    if amount_yuan is None:
        return None
    return _q(Decimal(amount_yuan) / YUAN_PER_WAN)


# --- which statistics exist --------------------------------------------------------------------------


def stat_periods(*, user: Principal, indicator: str = FAI, limit: int = 36) -> list[str]:
    """Months with official unit figures for ``indicator``, newest first (for the period pickers)."""
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    rows = (official_stats(user=user).filter(indicator=indicator, org__kind__in=REPORTING_KINDS)
            .order_by("-year", "-month").values_list("year", "month").distinct()[:limit])
    return [period_code(year, month) for year, month in rows]


def latest_stat_period(*, user: Principal, indicator: str = FAI) -> tuple[int, int] | None:
    """The newest month with an official unit figure for ``indicator`` (a growth to rank by); None before
    any import. See :func:`tuijin.stats.selectors.latest_statistics_month`."""
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    return latest_statistics_month(user=user, indicator=indicator, units_only=True, with_growth=True)


def latest_stat_quarter(*, user: Principal) -> tuple[int, int] | None:
    """The newest quarter whose last month has official FAI figures; None before any import."""
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    latest = latest_statistics_month(user=user, indicator=FAI, units_only=True, with_growth=True, quarter_ends=True)
    return (latest[0], latest[1] // 3) if latest else None


def _unit_figures(*, user: Principal, indicator: str, year: int, month: int, codes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """unit code → {"growth", "ytd_yuan"} of one month (one query)."""
    rows = official_stats(user=user).filter(indicator=indicator, year=year, month=month, org__code__in=list(codes))
    return {code: {"growth": growth, "ytd_yuan": ytd}
            for code, growth, ytd in rows.values_list("org__code", "yoy_growth", "ytd_value_yuan")}


# --- ranking ----------------------------------------------------------------------------------------------


def unit_growth_ranking(*, user: Principal, year: int, month: int, indicator: str = FAI) -> list[dict[str, Any]]:
    """The units ranked by their official cumulative growth of ``indicator`` (二(六)15、三(三)).

    Competition ranking (1, 2, 2, 4) within each of the plan's ranking groups; a unit without a
    figure is listed after those with one. Each row: ``org`` (code), ``name``, ``short_name``,
    ``value`` (cumulative YoY growth, percent, Decimal or None), ``rank``, ``group``, ``ytd_wan``
    (year-to-date value, 万元) and ``last_place`` (in last place of its group). Ordered by group,
    then rank. Empty when no unit has a figure for the month. Two queries at most.
    """
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    plan = month_plan(year, month)
    check_indicator(indicator, plan)
    info = {u.code: u for u in units(plan)}
    if not streaks.has_statistics(year, month):  # the plan publishes no figure for this month
        return []
    figures = _unit_figures(user=user, indicator=indicator, year=year, month=month, codes=info)
    if not any(f["growth"] is not None for f in figures.values()):
        return []
    values = {code: figures.get(code, {}).get("growth") for code in info}
    rows: list[dict[str, Any]] = []
    for group, ranked in rank_in_groups(values, plan.rules.ranking.groups).items():
        last = last_place(ranked)
        for item in ranked:
            unit = info[item.org]
            rows.append({
                "org": item.org, "name": unit.name, "short_name": unit.short_name, "value": item.value,
                "rank": item.rank, "group": group, "ytd_wan": _wan(figures.get(item.org, {}).get("ytd_yuan")),
                "last_place": item.org in last,
            })
    return rows


# --- escalation -----------------------------------------------------------------------------------------------


def escalation_list(*, user: Principal, year: int, month: int) -> list[dict[str, Any]]:
    """The units in last place this month and the rung each has reached (三(三) 末位增速约谈制).

    Computed from the stored monthly official figures of the plan's escalation indicator
    (cumulative FAI growth), ranked within the plan's groups; every unit tied at last place is
    escalated; a month out of last place resets the streak. Streaks count the statistics months
    of each year's plan (:mod:`tuijin.assessment.streaks`: 1–2月 published together, December to the
    next year's first month when the plan carries streaks across years); a month with no figure for
    any unit is skipped, not counted as a reset. Each row: ``org``, ``name``, ``streak``
    (months in a row), ``level`` (``notice`` / ``deputy_talk`` / ``mayor_talk`` with the seed's
    ladder), ``label`` (通报批评 …) and ``value`` (this month's growth). Longest streak first.
    Empty when the month has no figure. One query.
    """
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    plan = month_plan(year, month)
    rule = plan.rules.escalation
    info = {u.code: u for u in units(plan)}
    history = streaks.growth_history(user=user, indicator=rule.indicator, year=year, month=month, codes=list(info))
    if not history or history[-1][0] != (year, month):
        return []
    latest = rules.escalation_streaks([values for _, values in history], rule, groups=plan.rules.ranking.groups)
    values = history[-1][1]
    rows = [{"org": code, "name": info[code].name, "short_name": info[code].short_name, "streak": item.streak,
             "level": item.level, "label": item.label, "value": values.get(code)}
            for code, item in latest.items()]
    rows.sort(key=lambda row: (-row["streak"], info[row["org"]].order))
    return rows


def escalation_records(*, user: Principal, year: int | None = None, month: int | None = None,
                       statuses: Iterable[str] | None = None) -> list[Escalation]:
    """Stored escalations (the supervision office's follow-up list), newest month first. One query."""
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    qs = Escalation.objects.select_related("org")
    if year is not None:
        qs = qs.filter(year=year)
    if month is not None:
        qs = qs.filter(month=month)
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    return list(qs.order_by("-year", "-month", "-streak", "org__sort_order"))


def open_escalations(*, user: Principal) -> list[Escalation]:
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    return escalation_records(user=user, statuses=(EscalationStatus.OPEN, EscalationStatus.FOLLOWING))


# --- composite evaluation ----------------------------------------------------------------------------------------

#: What each indicator of the composite evaluation measures (二(六)15、二(七)21), as the page explains it.
EVALUATION_DEFINITIONS = {
    "fai_growth": "季末月份统计部门发布的本单位固定资产投资本年累计同比增速（%），对照本单位年度增长目标"
                  "（方案默认值或市发展改革委调整后的目标）",
    "key_project_completion": "省、市重点项目截至季末月份已审核的本年累计完成投资 ÷ 这些项目的年度计划投资（%），"
                              "对照季末序时进度",
    "start_rate": "计划当年开工的省、市重点项目中，截至季末已开工（有实际开工日期）的比例（%）",
    "approval_rate": "省、市重点项目所需的联审联批事项中，截至季末已办结的比例（%）",
    "bond_spending": "专项债券资金支出进度（%），对照序时进度；专项债券模块尚未上线，暂无数据，该项按 0 分计",
    "statistics_inclusion": "已开工且总投资达到入库标准的项目中，已入库纳统的比例（%）",
}


@dataclass(frozen=True)
class IndicatorValue:
    """One unit's actual for one evaluation indicator (percent, or None: no data) and what it rests on."""

    value: Decimal | None
    basis: str


def _percent(part: int | None, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return _q(Decimal(part or 0) * 100 / Decimal(whole))


def _key_project_ids() -> Any:
    # A subquery, not a join: a project tagged both provincial and city key counts once.
    return ProjectTag.objects.filter(tag__in=KEY_PROJECT_TAGS).values("project_id")


def evaluation_indicators(*, user: Principal, year: int, quarter: int, plan: Plan | None = None) -> dict[str, dict[str, IndicatorValue]]:
    """Each unit's actuals of the evaluation indicators for a quarter (二(六)15、二(七)21). Six queries.

    * ``fai_growth`` — the unit's official cumulative FAI growth (``OfficialStat`` fai) at the
      quarter's last month;
    * ``key_project_completion`` — approved year-to-date investment of its key projects
      (provincial_key / city_key) at the quarter's last month ÷ their annual plans, percent;
    * ``start_rate`` — its key projects planned to start this year (``planned_start``) that have
      an ``actual_start`` by the quarter's end ÷ those planned, percent;
    * ``approval_rate`` — approval items of its key projects done by the quarter's end ÷ all
      their items, percent;
    * ``bond_spending`` — no bond module yet: None (scores 0, "无数据");
    * ``statistics_inclusion`` — its projects started by the quarter's end with a total of at
      least the plan's threshold (二(七)19) that are ``in_statistics`` ÷ all such, percent.

    Cancelled projects count nowhere. A unit without the figures an indicator needs gets None.
    """
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    plan = plan or quarter_plan(year, quarter)
    codes = [u.code for u in plan.units]
    end_month = quarter * 3
    end = quarter_end(year, quarter)
    key_ids = _key_project_ids()
    result: dict[str, dict[str, IndicatorValue]] = {code: {} for code in codes}

    fai = _unit_figures(user=user, indicator=FAI, year=year, month=end_month, codes=codes)
    for code in codes:
        growth = fai.get(code, {}).get("growth")
        basis = (f"{end_month}月统计部门发布的本年累计同比增长 {growth}%" if growth is not None
                 else f"{end_month}月无统计部门发布的增速")
        result[code]["fai_growth"] = IndicatorValue(growth, basis)

    ytd = dict(ProgressReport.objects.filter(period__year=year, period__month=end_month,
                                             status=SubmissionStatus.APPROVED, project_id__in=key_ids)
               .order_by().values("unit__code").annotate(total=Sum("ytd_amount_yuan"))
               .values_list("unit__code", "total"))
    plans = dict(AnnualPlan.objects.filter(year=year, project_id__in=key_ids).exclude(project__stage=Stage.CANCELLED)
                 .order_by().values("project__unit__code").annotate(total=Sum("amount_yuan"))
                 .values_list("project__unit__code", "total"))
    for code in codes:
        done, planned = ytd.get(code) or 0, plans.get(code) or 0
        basis = (f"重点项目年度计划投资 {_wan(planned)} 万元，截至{end_month}月已审核的本年累计完成 {_wan(done)} 万元"
                 if planned else "无重点项目年度计划投资")
        result[code]["key_project_completion"] = IndicatorValue(_percent(done, planned), basis)

    starts = {row["unit__code"]: row for row in
              Project.objects.filter(id__in=key_ids, planned_start__year=year).exclude(stage=Stage.CANCELLED)
              .order_by().values("unit__code")
              .annotate(planned=Count("id"), started=Count("id", filter=Q(actual_start__lte=end)))}
    for code in codes:
        row = starts.get(code, {})
        planned, started = row.get("planned", 0), row.get("started", 0)
        basis = (f"计划{year}年开工的重点项目 {planned} 个，截至季末已开工 {started} 个" if planned
                 else f"无计划{year}年开工的重点项目")
        result[code]["start_rate"] = IndicatorValue(_percent(started, planned), basis)

    done_by_end = Q(status=ApprovalStatus.DONE) & (Q(approved_on__isnull=True) | Q(approved_on__lte=end))
    approvals = {row["project__unit__code"]: row for row in
                 ApprovalItem.objects.filter(project_id__in=key_ids).exclude(project__stage=Stage.CANCELLED)
                 .order_by().values("project__unit__code")
                 .annotate(required=Count("id"), done=Count("id", filter=done_by_end))}
    for code in codes:
        row = approvals.get(code, {})
        required, done = row.get("required", 0), row.get("done", 0)
        basis = (f"重点项目联审联批事项 {required} 项，截至季末已办结 {done} 项" if required
                 else "重点项目无联审联批事项")
        result[code]["approval_rate"] = IndicatorValue(_percent(done, required), basis)

    for code in codes:
        result[code]["bond_spending"] = IndicatorValue(None, "专项债券模块尚未上线，暂无支出进度数据")

    threshold = plan.rules.statistics_inclusion.threshold_wan
    included_by_end = Q(in_statistics=True) & (Q(statistics_date__isnull=True) | Q(statistics_date__lte=end))
    inclusion = {row["unit__code"]: row for row in
                 Project.objects.filter(actual_start__lte=end, total_investment_yuan__gte=wan_to_yuan(threshold))
                 .exclude(stage=Stage.CANCELLED).order_by().values("unit__code")
                 .annotate(due=Count("id"), included=Count("id", filter=included_by_end))}
    for code in codes:
        row = inclusion.get(code, {})
        due, included = row.get("due", 0), row.get("included", 0)
        basis = (f"已开工且总投资 {threshold} 万元以上的项目 {due} 个，已入库纳统 {included} 个" if due
                 else f"无已开工且总投资 {threshold} 万元以上的项目")
        result[code]["statistics_inclusion"] = IndicatorValue(_percent(included, due), basis)
    return result


def evaluation_targets(*, user: Principal, year: int, quarter: int,
                       plan: Plan | None = None) -> tuple[dict[str, Decimal], dict[str, dict[str, Decimal]], dict]:
    """The evaluation's targets from the plan (``rules.evaluation.targets``), and each unit's own.

    A target is a plan target name (a unit's own growth target when it is a unit target such as
    ``unit_fai_growth``: the city's override in ``UnitTarget`` or the plan's default),
    ``time_progress`` (序时进度 at the quarter's end) or a fixed percentage. Returns (targets,
    unit targets, descriptions for the page). One query (the city's overrides).
    """
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    plan = plan or quarter_plan(year, quarter)
    rule = plan.rules.evaluation
    missing = [code for code in rule.weights if code not in rule.targets]
    if missing:
        raise ValidationFailed(f"方案文件未给出以下评价指标的比较基准：{'、'.join(missing)}", field="quarter")
    progress = time_progress(quarter * 3)
    by_unit_target = {default_target_name(plan, item.code): item.code for item in plan.indicators
                      if default_target_name(plan, item.code)}
    targets: dict[str, Decimal] = {}
    per_unit: dict[str, dict[str, Decimal]] = defaultdict(dict)
    described: dict[str, str] = {}
    for code, spec in rule.targets.items():
        if not isinstance(spec, str):
            targets[code] = Decimal(spec)
            described[code] = f"{spec}%"
        elif spec == "time_progress":
            targets[code] = progress
            described[code] = f"季末序时进度 {progress}%"
        elif spec in by_unit_target:
            indicator = by_unit_target[spec]
            targets[code] = plan.target(spec)
            for (unit, _), target in unit_growth_targets(year=year, indicators=[indicator], plan=plan).items():
                per_unit[unit][code] = target.value
            described[code] = f"{plan.targets[spec].label}（各单位年度目标）"
        elif spec in plan.targets:
            targets[code] = plan.target(spec)
            for unit in plan.unit_codes():
                own = plan.target(spec, unit=unit)
                if own != targets[code]:
                    per_unit[unit][code] = own
            described[code] = f"{plan.targets[spec].label} {plan.target(spec)}%"
        else:
            raise ValidationFailed(f"方案文件中评价指标 {code} 的比较基准 {spec!r} 不是方案目标", field="quarter")
    return targets, dict(per_unit), described


def evaluation_compute(*, user: Principal, year: int, quarter: int) -> list[dict[str, Any]]:
    """The quarter's composite evaluation and awards, computed, not stored (二(六)15、二(七)21).

    Scores: :func:`rules.composite_scores` with the plan's weights, labels, targets and cap;
    ranks: competition ranking of the totals within the plan's ranking groups; awards: the
    plan's tiers by rank, ties sharing the better rank and its award. Refused (400) when the
    quarter's last month has no official statistics. Each row: ``org``, ``name``, ``group``,
    ``score``, ``rank``, ``award_wan``, ``indicators`` (code → label, weight, value, target,
    ratio, points, explanation, basis, all as text) and ``explanation``. Eight queries.
    """
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    plan = quarter_plan(year, quarter)
    rule = plan.rules.evaluation
    end_month = quarter * 3
    actuals = evaluation_indicators(user=user, year=year, quarter=quarter, plan=plan)
    if all(values["fai_growth"].value is None for values in actuals.values()):
        raise ValidationFailed(
            f"{quarter_label(year, quarter)}末（{end_month}月）尚无统计部门发布的固定资产投资数据，不能进行季度评价；"
            "请先导入官方统计数据", field="quarter")
    targets, unit_targets, _ = evaluation_targets(user=user, year=year, quarter=quarter, plan=plan)
    values = {org: {code: actual.value for code, actual in indicators.items() if code in rule.weights}
              for org, indicators in actuals.items()}
    scores = rules.composite_scores(values, rule.weights, targets=targets, unit_targets=unit_targets,
                                    labels=rule.labels, cap=rule.cap)
    # A unit without the official figure has no place in the ranking (listed after, no award):
    # a gap in the statistics is for the import to flag, not a score of 0 to rank.
    totals = {org: (score.total if values[org].get("fai_growth") is not None else None)
              for org, score in scores.items()}
    info = {u.code: u for u in units(plan)}
    rows: list[dict[str, Any]] = []
    for group, ranked in rank_in_groups(totals, plan.rules.ranking.groups).items():
        awards = rules.quarterly_awards(ranked, plan.rules.quarterly_awards)
        for item in ranked:
            score = scores[item.org]
            parts = {
                code: {
                    "label": part.label, "weight": str(part.weight), "value": _text(part.actual),
                    "target": _text(part.target), "ratio": str(part.ratio), "points": str(part.points),
                    "explanation": part.explanation,
                    "basis": actuals[item.org][code].basis if code in actuals[item.org] else "",
                }
                for code, part in score.parts.items()
            }
            rows.append({"org": item.org, "name": info[item.org].name, "short_name": info[item.org].short_name,
                         "group": group, "score": score.total, "rank": item.rank, "award_wan": awards[item.org],
                         "indicators": parts, "explanation": score.explanation
                         + ("" if item.value is not None else "；无统计部门发布的增速，不参与排名")})
    return rows


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def latest_evaluation(*, user: Principal, year: int, quarter: int) -> Evaluation | None:
    """The newest stored evaluation of the quarter, with its results (and their orgs) prefetched."""
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    results = EvaluationResult.objects.select_related("org").order_by("rank", "org__sort_order")
    return (Evaluation.objects.filter(year=year, quarter=quarter).select_related("computed_by")
            .prefetch_related(Prefetch("results", queryset=results)).order_by("-computed_at", "-id").first())


def evaluation_quarters(*, user: Principal, limit: int = 12) -> list[str]:
    """Quarters with a stored evaluation, newest first."""
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    rows = Evaluation.objects.order_by("-year", "-quarter").values_list("year", "quarter").distinct()[:limit]
    return [quarter_code(year, quarter) for year, quarter in rows]


def quarterly_awards(*, user: Principal, year: int, unit: Org | None = None) -> list[dict[str, Any]]:
    """The ranking awards (二(六)15) of the newest stored evaluation of each quarter of ``year``, above
    zero only, of ``unit`` if given: rows ``{"quarter", "org_id", "award_yuan"}`` (the incentives'
    budget counts them as commitments). Two queries."""
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    newest: dict[int, int] = {}
    for ev in Evaluation.objects.filter(year=year).order_by("quarter", "-computed_at", "-id").values("id", "quarter"):
        newest.setdefault(ev["quarter"], ev["id"])
    if not newest:
        return []
    results = EvaluationResult.objects.filter(evaluation_id__in=newest.values(), award_yuan__gt=0)
    if unit is not None:
        results = results.filter(org=unit)
    quarter_of = {v: k for k, v in newest.items()}
    return [{"quarter": quarter_of[r["evaluation_id"]], "org_id": r["org_id"], "award_yuan": r["award_yuan"]}
            for r in results.values("org_id", "evaluation_id", "award_yuan")]

# --- forecast -------------------------------------------------------------------------------------------------


def _fai_series(*, user: Principal, codes: list[str], first_year: int, last_year: int) -> dict[tuple[str, int], dict[int, tuple]]:
    """(org code, year) → month → (ytd yuan, growth), official FAI figures (one query)."""
    series: dict[tuple[str, int], dict[int, tuple]] = defaultdict(dict)
    rows = official_stats(user=user).filter(indicator=FAI, org__code__in=codes, year__gte=first_year, year__lte=last_year)
    for code, year, month, ytd, growth in rows.values_list("org__code", "year", "month", "ytd_value_yuan",
                                                            "yoy_growth"):
        series[code, year][month] = (ytd, growth)
    return series


def _complete_year(months: dict[int, tuple] | None) -> list[Decimal] | None:
    """A year's 12 cumulative values (Jan … Dec) when all are there and December is positive."""
    if not months:
        return None
    values = [months.get(m, (None, None))[0] for m in range(1, 13)]
    if any(v is None for v in values) or values[-1] <= 0:
        return None
    return [Decimal(v) for v in values]


def _shares(series: dict, code: str, before: int) -> tuple[list[Decimal], str]:
    """Monthly shares for ``code``: its own complete prior years, else the city's, else time progress."""
    for owner, source in ((code, "unit"), (CITY_CODE, "city")):
        years = [full for year in range(before - SHARE_YEARS, before)
                 if (full := _complete_year(series.get((owner, year)))) is not None]
        if years:
            return rules.monthly_shares(years), source
    return [year_elapsed(m) for m in range(1, 13)], "time_progress"


def forecast_rows(*, user: Principal, year: int, month: int) -> list[dict[str, Any]]:
    """Each unit's projected year-end FAI growth, gap to target and monthly amount still needed.

    Beyond the seed (DESIGN §5 "Forecast"): year-end = year-to-date ÷ the share of the year
    usually reached by this month (the unit's own complete prior years; the city's when the
    unit has none; time progress when neither has), growth over last year's December
    cumulative value; ``target`` the unit's FAI growth target; ``gap_points`` projected −
    target; ``needed_per_month_wan`` what each remaining month must add to reach the target
    (None in December); ``likely_miss`` when the projection is below target. Units likely to
    miss come first, the furthest behind first; units without figures last. One query for
    the figures, one for the targets.
    """
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    plan = plan_for_period(period_code(year, month))  # that period's year's plan (pinned)
    info = units(plan)
    codes = [u.code for u in info]
    series = _fai_series(user=user, codes=[*codes, CITY_CODE], first_year=year - SHARE_YEARS, last_year=year)
    targets = unit_growth_targets(year=year, indicators=[FAI], plan=plan)
    rows: list[dict[str, Any]] = []
    for unit in info:
        ytd, growth = series.get((unit.code, year), {}).get(month, (None, None))
        last_total = series.get((unit.code, year - 1), {}).get(12, (None, None))[0]
        target = targets[unit.code, FAI].value
        row: dict[str, Any] = {
            "org": unit.code, "name": unit.name, "short_name": unit.short_name, "month": month,
            "ytd_wan": _wan(ytd), "growth": growth, "last_year_total_wan": _wan(last_total),
            "projected_total_wan": None, "projected_growth": None, "target": target, "gap_points": None,
            "needed_per_month_wan": None, "likely_miss": False, "shares_source": None, "note": "",
            "order": unit.order,
        }
        if ytd is None or not last_total or last_total <= 0:
            row["note"] = "缺少本年累计值或上年全年累计值，无法预测"
            rows.append(row)
            continue
        shares, source = _shares(series, unit.code, year)
        projected_total = rules.forecast_year_end(Decimal(ytd), month, shares)
        projected = rules.forecast_growth(Decimal(ytd), month, shares, Decimal(last_total))
        row.update(
            projected_total_wan=_wan(projected_total), projected_growth=_q(projected),
            gap_points=_q(projected - target), likely_miss=projected < target,
            shares_source=source, note=SHARES_SOURCE_LABELS[source],
        )
        if month < 12:
            needed = rules.needed_per_month(rules.target_total(Decimal(last_total), target), Decimal(ytd), month)
            row["needed_per_month_wan"] = _wan(needed)
        rows.append(row)
    rows.sort(key=lambda r: (r["projected_growth"] is None, not r["likely_miss"],
                             r["gap_points"] if r["gap_points"] is not None else 0, r["order"]))
    return rows


def forecast_backtest(*, user: Principal, year: int) -> dict[str, Any] | None:
    """Back-test of the forecast on a past year's official figures (e.g. the demo's 2021).

    For each unit with all 12 months of ``year``: when it also has the previous year complete,
    :func:`rules.backtest` leaves ``year`` out and takes the shares from its other complete
    years; otherwise the shares come from the other units' ``year`` (leave one unit out) and
    last year's total from the previous December (or from December's published growth). Each
    month 1–11 is forecast and compared with the actual year-end growth. Returns the mean
    absolute error (percentage points) overall, by month and by unit; None when no unit has a
    complete year. One query.
    """
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    plan = month_plan(year, 12)  # only its units: a back-tested year (2021) may have no plan of its own
    info = units(plan)
    codes = [u.code for u in info]
    series = _fai_series(user=user, codes=codes, first_year=year - SHARE_YEARS, last_year=year + 1)
    complete = {code: {y: full for y in range(year - SHARE_YEARS, year + 2)
                       if (full := _complete_year(series.get((code, y)))) is not None} for code in codes}
    tested = [code for code in codes if year in complete[code]]
    if not tested:
        return None
    errors: list[rules.MonthError] = []
    per_unit: list[dict[str, Any]] = []
    for unit in info:
        if unit.code not in tested:
            continue
        years = complete[unit.code]
        if year - 1 in years:
            result = rules.backtest(years, held_out=[year])
            unit_errors, method = list(result.per_month_errors), "unit_years"
        else:
            others = [complete[other][year] for other in tested if other != unit.code]
            last_total = _last_year_total(series, unit.code, year)
            if not others or last_total is None:
                continue
            shares = rules.monthly_shares(others)
            own = years[year]
            actual = (own[-1] / last_total - 1) * 100
            unit_errors = []
            for m in range(1, 12):
                forecast = rules.forecast_growth(own[m - 1], m, shares, last_total)
                unit_errors.append(rules.MonthError(year, m, forecast, actual, forecast - actual))
            method = "other_units"
        errors.extend(unit_errors)
        mae = sum((abs(e.error_points) for e in unit_errors), Decimal(0)) / len(unit_errors)
        per_unit.append({"org": unit.code, "name": unit.name, "short_name": unit.short_name,
                         "mean_abs_error_points": _q(mae), "method": method,
                         "actual_growth": _q(unit_errors[0].actual_growth)})
    if not errors:
        return None
    by_month: dict[int, list[Decimal]] = defaultdict(list)
    for error in errors:
        by_month[error.month].append(abs(error.error_points))
    return {
        "year": year,
        "units_tested": len(per_unit),
        "mean_abs_error_points": _q(sum((abs(e.error_points) for e in errors), Decimal(0)) / len(errors)),
        "by_month": [{"month": m, "mean_abs_error_points": _q(sum(v, Decimal(0)) / len(v))}
                     for m, v in sorted(by_month.items())],
        "units": per_unit,
    }


def _last_year_total(series: dict, code: str, year: int) -> Decimal | None:
    """Last year's December cumulative value; else derived from this December's value and growth."""
    previous = series.get((code, year - 1), {}).get(12, (None, None))[0]
    if previous:
        return Decimal(previous)
    ytd, growth = series.get((code, year), {}).get(12, (None, None))
    if ytd is None or growth is None or growth <= -100:
        return None
    return Decimal(ytd) / (1 + Decimal(growth) / 100)


# --- targets vs actuals -----------------------------------------------------------------------------------------


def _gap(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    return None if actual is None or target is None else _q(Decimal(actual) - Decimal(target))


def city_figures(*, user: Principal, year: int, month: int) -> dict[str, dict[str, Any]]:
    """The city's official figures of the month for every plan indicator (一、二(一)1–4).

    indicator → ``name``, ``ytd_wan``, ``yoy_growth`` (percent), ``target`` (the plan's growth
    target), ``gap_points`` and ``met``; None values when the month has no figure. One query.
    """
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    plan = month_plan(year, month)
    figures = {indicator: (ytd, growth) for indicator, ytd, growth in
               official_stats(user=user).filter(org__code=CITY_CODE, year=year, month=month)
               .values_list("indicator", "ytd_value_yuan", "yoy_growth")}
    result: dict[str, dict[str, Any]] = {}
    for item in plan.indicators:
        ytd, growth = figures.get(item.code, (None, None))
        target = plan_growth_target(indicator=item.code, plan=plan)
        gap = _gap(growth, target)
        result[item.code] = {"name": item.name, "ytd_wan": _wan(ytd), "yoy_growth": growth, "target": target,
                             "gap_points": gap, "met": None if gap is None else gap >= 0}
    return result


def targets_vs_actuals(*, user: Principal, year: int, month: int) -> list[dict[str, Any]]:
    """Per reporting unit: each indicator's annual growth target against the official actual (二(一)1).

    Row: ``org``, ``name``, ``short_name``, ``indicators`` (code → ``target``, ``source``
    (plan / city), ``source_label``, ``note``, ``actual`` (cumulative growth), ``ytd_wan``,
    ``gap_points``, ``met``), and the project-based sum beside the official FAI figure:
    ``project_ytd_wan`` (approved monthly reports, from the summary table) and ``coverage``
    (percent of the official year-to-date value). Three queries.
    """
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    plan = month_plan(year, month)
    info = units(plan)
    codes = [u.code for u in info]
    indicators = [item.code for item in plan.indicators if item.growth_target]
    targets = unit_growth_targets(year=year, indicators=indicators, plan=plan)
    figures: dict[tuple[str, str], tuple] = {
        (code, indicator): (ytd, growth) for code, indicator, ytd, growth in
        official_stats(user=user).filter(org__code__in=codes, year=year, month=month, indicator__in=indicators)
        .values_list("org__code", "indicator", "ytd_value_yuan", "yoy_growth")}
    projects = dict(UnitMonthSummary.objects.filter(period__year=year, period__month=month, unit__code__in=codes)
                    .values_list("unit__code", "ytd_amount_yuan"))
    rows = []
    for unit in info:
        cells = {}
        for indicator in indicators:
            target = targets[unit.code, indicator]
            ytd, growth = figures.get((unit.code, indicator), (None, None))
            gap = _gap(growth, target.value)
            cells[indicator] = {"target": target.value, "plan_value": target.plan_value, "source": target.source,
                                "source_label": target.source_label, "note": target.note, "actual": growth,
                                "ytd_wan": _wan(ytd), "gap_points": gap, "met": None if gap is None else gap >= 0}
        official = figures.get((unit.code, FAI), (None, None))[0]
        project_ytd = projects.get(unit.code)
        coverage = _percent(project_ytd, official) if official and project_ytd is not None else None
        rows.append({"org": unit.code, "name": unit.name, "short_name": unit.short_name, "indicators": cells,
                     "project_ytd_wan": _wan(project_ytd), "coverage": coverage})
    return rows


def department_targets(*, user: Principal, year: int, month: int) -> list[dict[str, Any]]:
    """The city's indicator targets with the departments responsible for them (责任单位 of the clause).

    Row: ``indicator``, ``name``, ``target``, ``actual``, ``gap_points``, ``met``, ``source``
    (clause) and ``departments`` (names). One query.
    """
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    plan = month_plan(year, month)
    figures = city_figures(user=user, year=year, month=month)
    rows = []
    for item in plan.indicators:
        if not item.growth_target:
            continue
        target = plan.targets[item.growth_target]
        departments: list[str] = []
        for ref in target.source.split("、"):
            try:
                clause = plan.clause(ref)
            except KeyError:
                continue
            departments += [plan.department(code).name for code in clause.departments
                            if plan.department(code).name not in departments]
        figure = figures[item.code]
        rows.append({"indicator": item.code, "name": item.name, "label": target.label, "target": figure["target"],
                     "actual": figure["yoy_growth"], "gap_points": figure["gap_points"], "met": figure["met"],
                     "source": target.source, "departments": departments})
    return rows
