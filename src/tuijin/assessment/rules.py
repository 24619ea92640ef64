"""Assessment formulas: last-place escalation, quarterly awards, composite evaluation, forecast.

Pure functions on plain data (DESIGN §5): no ORM, no settings, no plan numbers in code. The
plan's rule objects (``plan.rules.ranking``, ``.escalation``, ``.quarterly_awards``,
``.evaluation``) or plain numbers come in as arguments; money and scores are
:class:`~decimal.Decimal`.

Ranking itself (competition ranking 1, 2, 2, 4; last place; ranking groups) is the toolkit's
:mod:`tuijin.toolkit.ranking`, shared with bonds, promotion and stats.

* :func:`escalation_streaks`, :func:`escalation_history` — 末位增速约谈制, 三(三).
* :func:`quarterly_awards` — 季度评价奖励 150/100/50 万元, 二(六)15.
* :func:`composite_scores` — 综合评价, 二(六)15、二(七)21.
* :func:`monthly_shares`, :func:`forecast_year_end`, :func:`forecast_growth`,
  :func:`target_total`, :func:`needed_per_month`, :func:`backtest` — year-end forecast
  (beyond the seed, DESIGN §5 "Forecast").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from tuijin.toolkit.ranking import GroupLike, Ranked, last_place, rank, rank_in_groups

__all__ = [
    "MONTHS",
    "BacktestResult",
    "Escalation",
    "MonthError",
    "Part",
    "Score",
    "award_for_rank",
    "backtest",
    "composite_scores",
    "escalation_history",
    "escalation_streaks",
    "forecast_growth",
    "forecast_year_end",
    "monthly_shares",
    "needed_per_month",
    "quarterly_awards",
    "target_total",
]

MONTHS = 12
HUNDRED = Decimal(100)
RATIO_QUANT = Decimal("0.0001")  # achievement ratio: shown as a percentage with 2 decimals
POINTS_QUANT = Decimal("0.01")  # evaluation points


# --- what the formulas need from the plan's rule objects (duck-typed, no import of the schema) ---


class StepLike(Protocol):
    """A rung of the escalation ladder (``plan.rules.escalation.ladder[i]``)."""

    @property
    def streak(self) -> int: ...

    @property
    def level(self) -> str: ...

    @property
    def label(self) -> str: ...


class LadderLike(Protocol):
    """The escalation rule: ``level_for(streak)`` gives the rung reached (``plan.rules.escalation``)."""

    def level_for(self, streak: int) -> StepLike | None: ...


class TierLike(Protocol):
    """An award tier (``plan.rules.quarterly_awards.tiers[i]``): ranks from..to get ``amount_wan``."""

    @property
    def from_rank(self) -> int: ...

    @property
    def to_rank(self) -> int: ...

    @property
    def amount_wan(self) -> Decimal: ...


class AwardTableLike(Protocol):
    """The awards rule (``plan.rules.quarterly_awards``)."""

    @property
    def tiers(self) -> Sequence[TierLike]: ...


# --- escalation (末位增速约谈制) -------------------------------------------------------------


@dataclass(frozen=True)
class Escalation:
    """A unit in last place this month: ``streak`` months in a row, and the rung reached."""

    streak: int
    level: str
    label: str


def _last_place_by_month(
    history: Sequence[Mapping[str, Decimal | None]], groups: Sequence[GroupLike] | None
) -> list[set[str]]:
    """For each month, the units in last place (within their group when groups are given)."""
    months: list[set[str]] = []
    for values in history:
        if groups is None:
            months.append(last_place(rank(values)))
        else:
            last: set[str] = set()
            for ranked in rank_in_groups(values, groups).values():
                last |= last_place(ranked)
            months.append(last)
    return months


def escalation_history(
    history: Sequence[Mapping[str, Decimal | None]],
    ladder: LadderLike,
    *,
    groups: Sequence[GroupLike] | None = None,
) -> list[dict[str, Escalation]]:
    """Escalations month by month (三(三) 末位增速约谈制).

    ``history`` holds each month's cumulative FAI growth per unit (percent), oldest first; higher
    is better. Each month the units are ranked (within each of ``groups`` when given, else all
    together) and every unit in last place (:func:`last_place`; ties: all of them) is escalated.
    Its streak is the number of consecutive months, up to and including this one, it has been
    in last place; a month out of last place (including a month without a figure) resets it.
    ``ladder.level_for(streak)`` (``plan.rules.escalation``) gives the rung: with the seed's
    ladder 1 → notice 通报批评, 2 → deputy_talk 分管市领导约谈, ≥3 → mayor_talk 市主要领导约谈.

    Streaks count only the months given: pass the year's months to start each year afresh.
    Returns one dict (org → :class:`Escalation`) per month of ``history``.
    """
    streaks: dict[str, int] = {}
    result: list[dict[str, Escalation]] = []
    for last in _last_place_by_month(history, groups):
        streaks = {org: streaks.get(org, 0) + 1 for org in last}
        month: dict[str, Escalation] = {}
        for org in sorted(last):
            step = ladder.level_for(streaks[org])
            if step is None:
                raise ValueError(
                    f"约谈规则没有连续 {streaks[org]} 个月对应的级别（the ladder must start at 1）"
                )
            month[org] = Escalation(streaks[org], step.level, step.label)
        result.append(month)
    return result


def escalation_streaks(
    history: Sequence[Mapping[str, Decimal | None]],
    ladder: LadderLike,
    *,
    groups: Sequence[GroupLike] | None = None,
) -> dict[str, Escalation]:
    """The latest month's escalations (三(三)): each unit in last place with its streak and rung.

    See :func:`escalation_history` for the rule; an empty history gives no escalations.
    """
    months = escalation_history(history, ladder, groups=groups)
    return months[-1] if months else {}


# --- quarterly awards ---------------------------------------------------------------------------


def _tiers_of(tiers: AwardTableLike | Sequence[TierLike]) -> Sequence[TierLike]:
    return tiers.tiers if hasattr(tiers, "tiers") else tiers  # type: ignore[union-attr,return-value]


def award_for_rank(tiers: AwardTableLike | Sequence[TierLike], rank_: int) -> Decimal:
    """The tier amount (万元) for a competition rank; 0 for a rank no tier covers."""
    for tier in _tiers_of(tiers):
        if tier.from_rank <= rank_ <= tier.to_rank:
            return Decimal(tier.amount_wan)
    return Decimal(0)


def quarterly_awards(
    ranked: Sequence[Ranked], tiers: AwardTableLike | Sequence[TierLike]
) -> dict[str, Decimal]:
    """Quarterly award (万元) per unit from its evaluation rank (二(六)15).

    ``tiers`` is ``plan.rules.quarterly_awards`` or its ``tiers``; with the seed's tiers rank 1
    gets 150, ranks 2–3 get 100 each, ranks 4–6 get 50 each. Ties share the better rank and its
    award: two units tied at 3rd both get 100; two tied at 6th both get 50; two tied at 1st both
    get 150 and the next unit is 3rd (100). Every unit of ``ranked`` is in the result, with 0
    when its rank earns nothing or it has no score (value None).
    """
    return {
        item.org: (Decimal(0) if item.value is None else award_for_rank(tiers, item.rank)) for item in ranked
    }


# --- composite evaluation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One indicator's share of a composite score, with its explanation in Chinese.

    ``ratio`` is the achievement ratio actual/target after the floor (0) and cap, to 4 decimals
    (a percentage to 2 decimals); ``points`` = weight × ratio, to 2 decimals.
    """

    indicator: str
    label: str
    weight: Decimal
    actual: Decimal | None
    target: Decimal | None
    ratio: Decimal
    points: Decimal
    explanation: str


@dataclass(frozen=True)
class Score:
    """A unit's composite score: ``total`` is the sum of the parts' points."""

    total: Decimal
    parts: Mapping[str, Part]

    @property
    def explanation(self) -> str:
        """All parts' explanations and the total, one sentence (for pages and bulletins)."""
        lines = "；".join(part.explanation for part in self.parts.values())
        return f"{lines}；合计 {_plain(self.total)} 分"


def _plain(value: Decimal) -> str:
    """A Decimal as written by hand: no exponent, no trailing zeros (10, 12.3, 0.05)."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


def _fixed(value: Decimal, places: str = "0.01") -> str:
    return format(value.quantize(Decimal(places), rounding=ROUND_HALF_UP), "f")


def _score_part(
    indicator: str, label: str, weight: Decimal, actual: Decimal | None, target: Decimal, cap: Decimal
) -> Part:
    w = _plain(weight)
    cap_pct = _plain(cap * HUNDRED)
    if actual is None:
        explanation = f"{label} 无数据，该项得 0 分（满分 {w}）"
        return Part(indicator, label, weight, None, target, Decimal(0), Decimal("0.00"), explanation)

    head = f"{label} {_plain(actual)}%，目标 {_plain(target)}%"
    if target == 0:
        # Nothing to divide by: meeting a zero target counts as fully achieved (ratio 1), missing it as 0.
        raw = Decimal(1) if actual >= 0 else Decimal(0)
        note = "，目标为 0，" + ("已达到按完成计" if raw else "未达到按 0 计")
    else:
        raw = actual / target
        note = f"，完成率 {_fixed(raw * HUNDRED)}%"
        if raw > cap:
            note += f"（超过 {cap_pct}% 按 {cap_pct}% 计）"
        elif raw < 0:
            note += "（低于 0 按 0 计）"
    ratio = min(max(raw, Decimal(0)), cap).quantize(RATIO_QUANT, rounding=ROUND_HALF_UP)
    points = (weight * ratio).quantize(POINTS_QUANT, rounding=ROUND_HALF_UP)
    explanation = f"{head}{note}，得分 {w}×{_fixed(ratio * HUNDRED)}%={_fixed(points)}"
    return Part(indicator, label, weight, actual, target, ratio, points, explanation)


def composite_scores(
    indicators: Mapping[str, Mapping[str, Decimal | None]],
    weights: Mapping[str, Decimal],
    *,
    targets: Mapping[str, Decimal],
    unit_targets: Mapping[str, Mapping[str, Decimal]] | None = None,
    labels: Mapping[str, str] | None = None,
    cap: Decimal = Decimal(1),
) -> dict[str, Score]:
    """Composite evaluation score per unit: weighted sum of normalised indicators (二(六)15、二(七)21).

    Normalisation — achievement ratio against the target (完成率法): every indicator is a
    percentage where higher is better (FAI growth; key-project investment completion, bond
    spending progress — their target being time progress 序时进度; start, approval and
    statistics-inclusion rates). For each unit and indicator::

        完成率 ratio = actual / target, floored at 0 and capped at ``cap``, to 4 decimals
        得分 points  = weight × ratio, to 0.01 (ROUND_HALF_UP)
        总分 total   = sum of the points

    e.g. "固定资产投资增速 12.3%，目标 10%，完成率 123.00%（超过 100% 按 100% 计），得分 40×100.00%=40.00".
    With the default ``cap`` 1 a unit meeting every target scores the full weights, so totals
    are 0–100 (百分制) when the weights sum to 100; pass ``cap=Decimal("1.2")`` to reward
    over-achievement up to 120%, and totals become 0–120. A zero target counts as met (ratio 1)
    when the actual is not negative.

    ``weights`` is ``plan.rules.evaluation.weights`` and ``labels`` its ``labels`` (indicator
    code → Chinese name; the code itself when absent). ``targets`` gives each weighted
    indicator's target; ``unit_targets`` overrides it per unit (e.g. a unit's own FAI growth
    target from ``plan.target("unit_fai_growth", unit=…)``). An indicator missing for a unit
    (None or absent) scores 0 and says so. An indicator that is not weighted, or a weighted one
    without a target, is an error.
    """
    unit_targets = unit_targets or {}
    labels = labels or {}
    if cap <= 0:
        raise ValueError(f"封顶系数应大于 0：{cap}")
    untargeted = sorted(code for code in weights if code not in targets)
    if untargeted:
        raise ValueError(f"以下评价指标缺少目标值：{'、'.join(untargeted)}")
    for org, values in indicators.items():
        unknown = sorted(set(values) - set(weights))
        if unknown:
            raise ValueError(f"单位 {org} 有未设权重的评价指标：{'、'.join(unknown)}")
    for target_map in (targets, *unit_targets.values()):
        negative = sorted(code for code, value in target_map.items() if value < 0)
        if negative:
            raise ValueError(f"目标值不应为负：{'、'.join(negative)}")

    scores: dict[str, Score] = {}
    for org in sorted(indicators):
        values = indicators[org]
        parts: dict[str, Part] = {}
        for code, weight in weights.items():
            target = unit_targets.get(org, {}).get(code, targets[code])
            parts[code] = _score_part(
                code, labels.get(code, code), Decimal(weight), values.get(code), Decimal(target), cap
            )
        total = sum((part.points for part in parts.values()), Decimal("0.00"))
        scores[org] = Score(total, parts)
    return scores


# --- forecast ----------------------------------------------------------------------------------


def _check_month(month: int, *, low: int = 1, high: int = MONTHS) -> None:
    if isinstance(month, bool) or not isinstance(month, int) or not low <= month <= high:
        raise ValueError(f"月份应为 {low}–{high} 的整数：{month!r}")


def monthly_shares(history_years: Sequence[Sequence[Decimal]]) -> list[Decimal]:
    """Average cumulative monthly shares of the year's total, from prior years.

    Each year is its 12 cumulative year-to-date values (Jan … Dec, 万元); the share of month m
    is ``cumulative[m] / cumulative[Dec]``. The result is the mean over the years of each
    month's share (so the December share is 1). Every year needs 12 values and a positive total.
    """
    if not history_years:
        raise ValueError("至少需要一个完整年度的月度累计数据")
    per_year: list[list[Decimal]] = []
    for i, year in enumerate(history_years):
        if len(year) != MONTHS:
            raise ValueError(f"第 {i + 1} 个年度应有 12 个月的累计值，实际 {len(year)} 个")
        total = Decimal(year[-1])
        if total <= 0:
            raise ValueError(f"第 {i + 1} 个年度的全年累计值应大于 0：{total}")
        per_year.append([Decimal(value) / total for value in year])
    n = len(per_year)
    return [sum((shares[m] for shares in per_year), Decimal(0)) / n for m in range(MONTHS)]


def forecast_year_end(ytd_value: Decimal, month: int, shares_by_month: Sequence[Decimal]) -> Decimal:
    """Projected year-end cumulative value: year-to-date ÷ the share usually reached by ``month``.

    ``shares_by_month`` comes from :func:`monthly_shares` (12 values, Jan … Dec). Not rounded:
    round for display. Linear in ``ytd_value``.
    """
    _check_month(month)
    if len(shares_by_month) != MONTHS:
        raise ValueError(f"月度占比应有 12 个，实际 {len(shares_by_month)} 个")
    share = Decimal(shares_by_month[month - 1])
    if share <= 0:
        raise ValueError(f"{month} 月的累计占比应大于 0：{share}")
    return Decimal(ytd_value) / share


def forecast_growth(ytd: Decimal, month: int, shares: Sequence[Decimal], last_year_total: Decimal) -> Decimal:
    """Projected year-end growth (percent) over last year's total: (forecast ÷ last year − 1) × 100.

    A projection from amounts; the statistics bureau's published growth is on a comparable
    basis (同口径) and may differ slightly from a ratio of published totals.
    """
    if last_year_total <= 0:
        raise ValueError(f"上年全年累计值应大于 0：{last_year_total}")
    return (forecast_year_end(ytd, month, shares) / Decimal(last_year_total) - 1) * HUNDRED


def target_total(last_year_total: Decimal, growth_target_percent: Decimal) -> Decimal:
    """The year's total needed to reach a growth target: last year × (1 + target / 100)."""
    return Decimal(last_year_total) * (1 + Decimal(growth_target_percent) / HUNDRED)


def needed_per_month(target_total: Decimal, ytd: Decimal, month: int) -> Decimal:
    """Amount still needed each remaining month (还需月均完成) to reach ``target_total``.

    ``month`` is the last month in ``ytd`` (0 before January's figure, up to 11); the gap
    ``target_total − ytd`` is spread evenly over the ``12 − month`` months left, 0 when the
    target is already reached. December has no month left: an error.
    """
    _check_month(month, low=0, high=MONTHS - 1)
    gap = Decimal(target_total) - Decimal(ytd)
    if gap <= 0:
        return Decimal(0)
    return gap / (MONTHS - month)


@dataclass(frozen=True)
class MonthError:
    """One back-tested month: forecast and actual year-end growth (percent) and their difference."""

    year: int
    month: int
    forecast_growth: Decimal
    actual_growth: Decimal
    error_points: Decimal  # forecast − actual, percentage points


@dataclass(frozen=True)
class BacktestResult:
    """Back-test of the forecast: mean absolute error (percentage points) and each month's error."""

    mean_abs_error_points: Decimal
    per_month_errors: tuple[MonthError, ...]

    def mean_abs_error_by_month(self) -> dict[int, Decimal]:
        """Month → mean absolute error over the held-out years."""
        by_month: dict[int, list[Decimal]] = {}
        for error in self.per_month_errors:
            by_month.setdefault(error.month, []).append(abs(error.error_points))
        return {month: sum(errors, Decimal(0)) / len(errors) for month, errors in sorted(by_month.items())}


def backtest(
    series_by_year: Mapping[int, Sequence[Decimal]], *, held_out: Iterable[int] | None = None
) -> BacktestResult:
    """Back-test :func:`forecast_growth` by leaving one year out at a time.

    ``series_by_year`` maps year → its 12 cumulative monthly values. For each held-out year Y
    (``held_out``, default: every year whose previous year is in the series), the shares come
    from all the other years; each month 1–11 of Y is forecast from its year-to-date value
    and compared with Y's actual growth over Y−1 (December is the actual itself, so it is not
    counted). ``error_points`` = forecast − actual; the mean absolute error is over all
    forecast months.
    """
    years = sorted(series_by_year)
    chosen = sorted(held_out) if held_out is not None else [y for y in years if y - 1 in series_by_year]
    if not chosen:
        raise ValueError("无法回测：需要至少两个相邻的完整年度")
    errors: list[MonthError] = []
    for year in chosen:
        if year not in series_by_year or year - 1 not in series_by_year:
            raise ValueError(f"无法回测 {year} 年：需要 {year} 年和 {year - 1} 年的数据")
        series = series_by_year[year]
        shares = monthly_shares([series_by_year[other] for other in years if other != year])
        if len(series) != MONTHS:
            raise ValueError(f"{year} 年应有 12 个月的累计值，实际 {len(series)} 个")
        last_year_total = Decimal(series_by_year[year - 1][-1])
        actual = (Decimal(series[-1]) / last_year_total - 1) * HUNDRED
        for month in range(1, MONTHS):
            forecast = forecast_growth(Decimal(series[month - 1]), month, shares, last_year_total)
            errors.append(MonthError(year, month, forecast, actual, forecast - actual))
    mean = sum((abs(error.error_points) for error in errors), Decimal(0)) / len(errors)
    return BacktestResult(mean, tuple(errors))
