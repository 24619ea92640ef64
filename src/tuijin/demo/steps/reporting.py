"""Demo step: monthly progress reports 2021-01 … 2022-07 (issue 3 item 7; DESIGN §4.5, §7).

Imported by ``tuijin.demo.steps.demo_steps()`` (see ``step_modules``); runs after
the project library (order 100).

What it makes, from the generated project library (no database in ``generate``):

* every reportable project-month — a project under construction or completed whose actual start
  is on or before the month's end and whose actual end (if any) is on or after the month's start;
* month amounts whose yearly sum is 85–110 % of the project's annual plan of that year (a few
  lagging project-years at 50–70 %), spread over the months with Zhengzhou's seasonal shape: low
  in January–February (Spring Festival), rising through spring, high in Q2–Q3, a year-end push in
  November–December; July–August 2021 depressed by the "7·20" rainstorm (and the August 2021
  outbreak), May 2022 slightly by the epidemic controls. ``ytd`` restarts each January;
  ``cumulative`` starts from an opening balance for projects started before 2021 (estimated from
  the total investment and the share of the construction time already elapsed) and never exceeds
  98 % of the total investment in regular rows. Percent complete only rises; the physical progress
  text (形象进度) follows it;
* 2021-01 … 2022-06 approved for every reporting unit (a few units late on a few months);
  2022-07: about nine units submitted (two of them late), one returned with reasons, the rest
  still drafting with some projects missing; two pending correction requests on June rows;
* a few planted data-quality problems (2022-06 and 2022-07, jinshui among the units) that trigger
  each warning of :func:`tuijin.reporting.rules.quality_warnings`; regular rows are kept clear of
  them (months at most :data:`NORMAL_SPIKE_RATIO` × the trailing average, planted spikes at least
  :data:`PLANTED_SPIKE_RATIO` ×, so the plan's factor of 3 sits between);
* the per-unit monthly summary of every approved period.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import DateField, DecimalField, Field, JSONField, Model, UUIDField

from tuijin.audit.services import build_entry
from tuijin.demo.generate import DEMO_TZ, ProjectSpec
from tuijin.demo.steps import DemoStep, GenerationContext, LoadContext, register_step
from tuijin.reporting.models import (
    CorrectionRequest,
    Period,
    ProgressReport,
    SubmissionStatus,
    UnitMonthSummary,
    UnitPeriod,
)
from tuijin.reporting.periods import period_open
from tuijin.reporting.rules import period_code
from tuijin.reporting.summary import refresh_unit_month_summary
from tuijin.toolkit.money import yuan_to_wan
from tuijin.toolkit.periods import is_working_day, month_end

Month = tuple[int, int]

#: The months with reports; everything up to :data:`LAST_APPROVED` is approved.
REPORT_MONTHS: tuple[Month, ...] = tuple((y, m) for y in (2021, 2022) for m in range(1, 13) if (y, m) <= (2022, 7))
#: The months the annual plans cover (a year's target is spread over all its active months).
PLAN_MONTHS: tuple[Month, ...] = tuple((y, m) for y in (2021, 2022) for m in range(1, 13))
LAST_APPROVED: Month = (2022, 6)
CURRENT: Month = (2022, 7)
EARLIEST = dt.date(2021, 1, 1)

#: Zhengzhou's monthly shape of construction investment (relative weights).
SEASON = {1: 0.60, 2: 0.50, 3: 0.95, 4: 1.00, 5: 1.05, 6: 1.20, 7: 1.05, 8: 1.00, 9: 1.10, 10: 0.95,
          11: 1.10, 12: 1.25}
#: The two years' own events on top of the shape.
EVENTS = {
    (2021, 2): 0.85,  # Spring Festival on 12 February: the whole holiday falls in February
    (2022, 1): 0.90,  # Spring Festival on 1 February 2022: the holiday starts on 31 January
    (2021, 7): 0.55,  # "7·20" rainstorm: sites flooded and stopped from 20 July
    (2021, 8): 0.70,  # clean-up after the flood, and the August 2021 outbreak
    (2021, 9): 1.05,  # catching up
    (2021, 10): 1.05,
    (2022, 5): 0.90,  # epidemic controls in early May 2022
}
LAGGING_SHARE = 0.07  # project-years at 50–70 % of the annual plan
NORMAL_SPIKE_RATIO = 2.5  # regular months stay at or below this × their trailing 3-month average
PLANTED_SPIKE_RATIO = 4.0  # planted spikes are at least this ×
SPIKE_WINDOW = 3
CUMULATIVE_CEILING = 0.98  # regular cumulative amounts stay below this share of the total investment
# Plain strings (database drivers need not know the Django choices type).
APPROVED, SUBMITTED = SubmissionStatus.APPROVED.value, SubmissionStatus.SUBMITTED.value
RETURNED_STATUS, DRAFT = SubmissionStatus.RETURNED.value, SubmissionStatus.DRAFT.value

#: 2022-07 (the open period): how many of the 16 units have submitted, late or returned.
CURRENT_SUBMITTED, CURRENT_LATE, CURRENT_RETURNED = 9, 2, 1
#: A unit still drafting 2022-07 (its user logs in to a draft with warnings to fix).
DRAFT_UNIT = "jinshui"

# Planted data-quality problems: (kind, period, preferred unit). "returned" = the unit whose
# 2022-07 submission the city sent back because of these rows.
SPIKE, YTD_OVER_PLAN, CUMULATIVE_OVER_TOTAL = "spike", "ytd_over_plan", "cumulative_over_total"
PERCENT_DOWN, NOT_STARTED, COMPLETED_REPORTED = "percent_down", "not_started", "completed_reported"
PLANT_KINDS = (SPIKE, YTD_OVER_PLAN, CUMULATIVE_OVER_TOTAL, PERCENT_DOWN, NOT_STARTED, COMPLETED_REPORTED)
RETURNED = "returned"
PLANTS: tuple[tuple[str, Month, str | None], ...] = (
    (SPIKE, CURRENT, DRAFT_UNIT),
    (SPIKE, CURRENT, RETURNED),
    (SPIKE, LAST_APPROVED, None),
    (YTD_OVER_PLAN, CURRENT, DRAFT_UNIT),
    (YTD_OVER_PLAN, CURRENT, None),
    (YTD_OVER_PLAN, CURRENT, None),
    (CUMULATIVE_OVER_TOTAL, CURRENT, None),
    (CUMULATIVE_OVER_TOTAL, CURRENT, None),
    (PERCENT_DOWN, CURRENT, DRAFT_UNIT),
    (PERCENT_DOWN, CURRENT, RETURNED),
    (PERCENT_DOWN, LAST_APPROVED, None),
    (NOT_STARTED, CURRENT, DRAFT_UNIT),
    (NOT_STARTED, CURRENT, None),
    (COMPLETED_REPORTED, CURRENT, None),
)
#: The city's reason per returned row, by what is wrong with it.
ROW_RETURN_REASONS = {
    SPIKE: "本月完成投资明显高于前三个月平均水平，请核实并附支撑材料（合同、发票、监理月报）",
    PERCENT_DOWN: "完成百分比低于上月，请核实后重新填报",
    "": "形象进度描述过于简单，请补充本月具体施工内容和工程量",
}
UNIT_RETURN_REASON = ("你单位7月份报送数据存在异常：个别项目本月完成投资与前期水平差异较大、完成百分比低于上月，"
                      "请逐项核实，按项目退回意见修改后重新报送。")

# --- physical progress ----------------------------------------------------------------------

#: project subject → the phases its works go through
PROFILE_OF_SUBJECT = {
    "ind_new": "factory", "ind_expansion": "factory", "ind_park": "factory", "ind_renovation": "retrofit",
    "ind_rd": "building", "research": "building", "tech_services": "building", "new_infra": "datacentre",
    "road": "linear", "highway": "linear", "utility": "linear", "rc_transport": "linear", "rc_municipal": "linear",
    "transit": "rail", "rail": "rail", "renewal": "renewal",
    "water": "water", "river": "water", "rc_river": "water", "rc_reservoir": "reservoir",
    "park": "park", "agriculture": "farmland", "environment": "plant",
    "housing": "housing", "resettlement": "housing", "rental": "housing", "rc_housing": "repair", "rc_other": "repair",
}
#: profile → (upper bound of percent complete, phase)
PHASES: dict[str, tuple[tuple[float, str], ...]] = {
    "factory": ((8, "施工准备，场地平整"), (20, "土方开挖及基础施工"), (40, "主体结构施工"),
                (55, "主体结构封顶，屋面及围护结构施工"), (70, "厂房装饰装修及机电安装"), (85, "生产设备采购安装"),
                (101, "设备安装调试，准备试生产")),
    "retrofit": ((15, "旧设备拆除及基础改造"), (45, "生产线改造施工"), (75, "新设备安装"), (101, "设备安装调试")),
    "building": ((8, "施工准备，桩基施工"), (20, "基础施工"), (45, "主体结构施工"), (60, "主体结构封顶，二次结构施工"),
                 (80, "外立面及室内装饰装修"), (92, "机电安装及室外配套工程"), (101, "收尾工程，准备竣工验收")),
    "housing": ((8, "土方开挖及桩基施工"), (20, "基础施工"), (50, "主体结构施工"), (62, "主体封顶，二次结构砌筑"),
                (80, "外墙保温及门窗安装"), (92, "室内装修及园林景观施工"), (101, "室外配套工程，准备竣工验收")),
    "linear": ((10, "征地拆迁及施工准备"), (22, "管线迁改"), (45, "路基施工"), (62, "桥涵及排水管网施工"),
               (80, "路面基层及面层施工"), (101, "交通设施及绿化附属工程施工")),
    "rail": ((10, "交通导改及管线迁改"), (30, "车站围护结构施工"), (55, "车站主体结构施工，盾构区间掘进"),
             (75, "区间贯通，轨道铺设"), (90, "机电设备安装"), (101, "系统联调联试")),
    "water": ((10, "施工导流及清表"), (30, "河道清淤疏浚"), (60, "堤防及护岸施工"), (80, "闸站及配套建筑物施工"),
              (101, "景观绿化及附属工程施工")),
    "reservoir": ((15, "除险加固施工准备"), (40, "坝体防渗及加固施工"), (65, "溢洪道及放水设施改造"),
                  (85, "管理设施及防汛道路施工"), (101, "附属工程施工，准备蓄水验收")),
    "park": ((15, "场地清理及土方造型"), (45, "园路及给排水管网施工"), (75, "绿化种植"), (101, "景观小品及配套设施施工")),
    "farmland": ((20, "土地平整"), (50, "灌排渠系及机井施工"), (80, "田间道路施工"), (101, "农田防护及配套设施施工")),
    "plant": ((10, "施工准备"), (35, "构筑物基础施工"), (60, "主体构筑物施工"), (85, "工艺设备安装"),
              (101, "单机及联动调试")),
    "datacentre": ((15, "机房土建施工"), (40, "主体结构施工"), (65, "机房装修及供配电安装"), (85, "服务器及网络设备安装"),
                   (101, "系统联调测试")),
    "repair": ((20, "受损情况排查及施工准备"), (60, "水毁设施修复施工"), (90, "主体修复完成，附属设施施工"),
               (101, "收尾工程，准备验收")),
    "renewal": ((15, "入户调查及施工准备"), (45, "老旧管网改造施工"), (75, "外立面及屋面改造"),
                (101, "道路硬化及绿化亮化施工")),
}
COMPLETED_TEXT = "竣工验收"
#: (month, share of rows, note)
NOTES: dict[Month, tuple[float, str]] = {
    (2021, 2): (0.20, "春节假期停工，节后有序复工"),
    (2021, 7): (0.35, "受“7·20”特大暴雨灾害影响，现场停工抢险排涝"),
    (2021, 8): (0.25, "灾后复工复产，同时落实疫情防控措施"),
    (2022, 2): (0.20, "春节假期停工，正月初八起陆续复工"),
    (2022, 5): (0.15, "落实疫情防控要求，闭环施工"),
}


# --- generated records -----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitPeriodSpec:
    """One unit's submission of one period. Times are working-day shifts from the period's deadline
    (known only when the period is opened), so that ``generate`` needs no calendar."""

    unit_code: str
    period: str
    status: str
    late: bool = False
    at_shift: int = 0  # submitted (drafts: last edited) this many working days from the deadline
    at_minute: int = 0  # minutes after 08:30
    review_shift: int = 0  # reviewed this many working days after the submission day
    review_minute: int = 0
    return_reason: str = ""


@dataclass(frozen=True)
class ReportSpec:
    ref: int  # ProjectSpec.ref
    unit_code: str
    period: str
    month_yuan: int
    ytd_yuan: int
    cumulative_yuan: int
    percent: Decimal
    physical_progress: str
    started: bool
    notes: str
    status: str
    return_reason: str = ""


@dataclass(frozen=True)
class CorrectionSpec:
    ref: int
    unit_code: str
    period: str
    changes: dict[str, Any]
    reason: str
    after_review: int  # working days after the period's review
    minute: int


@dataclass(frozen=True)
class PlantedSpec:
    ref: int
    unit_code: str
    period: str
    kind: str  # one of PLANT_KINDS


@dataclass(frozen=True)
class ProgressDemo:
    periods: tuple[str, ...]
    unit_periods: tuple[UnitPeriodSpec, ...]
    reports: tuple[ReportSpec, ...]
    corrections: tuple[CorrectionSpec, ...]
    planted: tuple[PlantedSpec, ...]


@dataclass
class _Series:
    """One project's months while they are being made (amounts in yuan)."""

    spec: ProjectSpec
    months: list[Month]
    amounts: list[int]
    opening: int = 0
    started: bool = True
    percents: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.spec.total_investment_wan * 10_000

    def plan(self, year: int) -> int:
        return self.spec.plan_for(year) * 10_000

    def index(self, month: Month) -> int | None:
        try:
            return self.months.index(month)
        except ValueError:
            return None

    def running(self) -> tuple[list[int], list[int]]:
        """Year-to-date (restarting each January) and cumulative amounts."""
        ytd, cumulative = [], []
        year, in_year, total = 0, 0, self.opening
        for (y, _m), amount in zip(self.months, self.amounts, strict=True):
            if y != year:
                year, in_year = y, 0
            in_year += amount
            total += amount
            ytd.append(in_year)
            cumulative.append(total)
        return ytd, cumulative

    def spike_ratio(self, i: int) -> float:
        """The month's amount over its trailing average (0 without a full window)."""
        if i < SPIKE_WINDOW:
            return 0.0
        window = self.amounts[i - SPIKE_WINDOW:i]
        average = sum(window) / SPIKE_WINDOW
        return self.amounts[i] / average if average > 0 else 0.0

    def clean(self, *, except_at: int | None = None) -> bool:
        """No regular month trips a warning: spikes, ytd above the plan, cumulative above the total."""
        ytd, cumulative = self.running()
        for i, (y, _m) in enumerate(self.months):
            if i == except_at:
                continue
            plan = self.plan(y)
            # (2021 may end above its plan: over-fulfilled plans are history, the warnings view looks at 2022)
            if self.spike_ratio(i) > NORMAL_SPIKE_RATIO or (plan and ytd[i] > plan and y == CURRENT[0]) \
                    or cumulative[i] > self.total:
                return False
        return True


# --- generation ------------------------------------------------------------------------------


def _first_day(month: Month) -> dt.date:
    return dt.date(month[0], month[1], 1)


def _last_day(month: Month) -> dt.date:
    return month_end(*month)


FIRST_DAY = {m: _first_day(m) for m in PLAN_MONTHS}
LAST_DAY = {m: _last_day(m) for m in PLAN_MONTHS}
CODE = {m: period_code(*m) for m in PLAN_MONTHS}


def _code(month: Month) -> str:
    return CODE[month]


def _round(yuan: float) -> int:
    """Amounts are typed in 万元 with two decimals: whole hundreds of yuan."""
    return int(round(yuan / 100)) * 100


def _percent(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


class ProgressGenerator:
    """Builds the months of every reportable project, then the statuses and the planted problems."""

    def __init__(self, ctx: GenerationContext) -> None:
        self.projects: tuple[ProjectSpec, ...] = ctx.data["projects"]
        self.units = tuple(u.code for u in ctx.facts.units)
        self.rng_amounts = ctx.rng("progress")
        self.rng_texts = ctx.rng("progress-texts")
        self.rng_status = ctx.rng("progress-status")
        self.rng_planted = ctx.rng("progress-planted")
        self.series: dict[int, _Series] = {}
        self.planted: list[PlantedSpec] = []
        self.returned_rows: dict[int, str] = {}  # ref → the city's reason (2022-07 of the returned unit)

    def run(self) -> ProgressDemo:
        for p in self.projects:
            if p.stage in ("construction", "completed") and p.actual_start is not None:
                series = self._amounts(p)
                if series is not None:
                    self.series[p.ref] = series
        statuses, current = self._statuses()
        self._plant_amounts(current)
        for series in self.series.values():
            self._percents_and_texts(series)
        self._plant_percents(current)
        self._plant_not_started(current)
        self._return_reasons(current)
        reports = self._reports(statuses, current)
        corrections = self._corrections(reports)
        return ProgressDemo(
            periods=tuple(_code(m) for m in REPORT_MONTHS),
            unit_periods=tuple(statuses.values()),
            reports=tuple(reports),
            corrections=tuple(corrections),
            planted=tuple(sorted(self.planted, key=lambda s: (s.period, s.kind, s.ref))),
        )

    # -- amounts -----------------------------------------------------------------------------

    def _amounts(self, p: ProjectSpec) -> _Series | None:
        rng = self.rng_amounts
        start, end = p.actual_start, p.actual_end
        assert start is not None
        active = [m for m in PLAN_MONTHS if start <= LAST_DAY[m] and (end is None or end >= FIRST_DAY[m])]
        if not active or active[0] > CURRENT:
            return None
        weights: dict[Month, float] = {}
        for month in active:
            first, last = FIRST_DAY[month], LAST_DAY[month]
            covered = ((min(last, end) if end else last) - max(first, start)).days + 1
            coverage = max(0.5, covered / ((last - first).days + 1))  # a part month still carries mobilisation costs
            weights[month] = SEASON[month[1]] * EVENTS.get(month, 1.0) * rng.uniform(0.8, 1.2) * coverage
        total = p.total_investment_wan * 10_000
        finish = end or max(p.planned_end or dt.date(2022, 12, 31), dt.date(2022, 12, 31))
        span_months = max((finish - start).days / 30.44, 1.0)
        targets: dict[int, float] = {}
        for year in (2021, 2022):
            months = [m for m in active if m[0] == year]
            if not months:
                continue
            plan = p.plan_for(year) * 10_000 or total * min(1.0, len(months) / span_months)
            lagging = rng.random() < LAGGING_SHARE
            factor = rng.uniform(0.5, 0.7) if lagging else rng.triangular(0.85, 1.10, 0.97)
            if year == CURRENT[0] and months[-1] <= CURRENT:
                factor = min(factor, 0.97)  # finished this year: its whole plan is in the open months, keep below it
            targets[year] = plan * factor
        ceiling = total * CUMULATIVE_CEILING
        planned = sum(targets.values())
        opening = 0
        if planned > ceiling:  # the plans leave no room below the total: scale the years down
            targets = {y: t * ceiling / planned for y, t in targets.items()}
        elif start < EARLIEST:  # what was spent before 2021: the elapsed share of the works, a bit less
            elapsed = (EARLIEST - start).days / max((finish - start).days, 1)
            opening = _round(min(total * min(elapsed, 0.9) * rng.uniform(0.8, 1.0), ceiling - planned))
        year_weight = Counter[int]()
        for month, w in weights.items():
            year_weight[month[0]] += w
        months = [m for m in active if m <= CURRENT]
        amounts = [_round(targets[m[0]] * weights[m] / year_weight[m[0]]) for m in months]
        series = _Series(spec=p, months=months, amounts=amounts, opening=max(opening, 0))
        for i in range(SPIKE_WINDOW, len(amounts)):  # keep regular months clear of the spike warning
            cap = NORMAL_SPIKE_RATIO * sum(amounts[i - SPIKE_WINDOW:i]) / SPIKE_WINDOW
            if amounts[i] > cap:
                amounts[i] = int(cap // 100) * 100
        return series

    # -- percent complete and physical progress ----------------------------------------------

    def _percents_and_texts(self, s: _Series) -> None:
        rng = self.rng_texts
        p = s.spec
        start, end = p.actual_start or EARLIEST, p.actual_end
        finish = end or p.planned_end or start + dt.timedelta(days=365)
        span = max((finish - start).days, 30)
        phases = PHASES[PROFILE_OF_SUBJECT.get(p.subject, "building")]
        _ytd, cumulative = s.running()
        previous = 0.0
        s.percents, s.texts, s.notes = [], [], []
        for i, month in enumerate(s.months):
            if end is not None and end <= LAST_DAY[month]:
                value, text = 100.0, COMPLETED_TEXT
                if end < FIRST_DAY[month]:
                    text = "已竣工验收，支付工程结算尾款"
            else:
                elapsed = min(max((LAST_DAY[month] - start).days / span, 0.0), 0.97)
                value = 100 * (0.55 * elapsed + 0.45 * cumulative[i] / max(s.total, 1))
                value = round(max(min(value, 98.0), previous, 0.5), 1)
                text = next(phase for bound, phase in phases if value < bound)
                if rng.random() < 0.35:
                    workers = int(min(800, 12 + (p.total_investment_wan ** 0.5) * rng.uniform(0.4, 1.2)))
                    text += f"，现场作业人员{workers}人"
            previous = value
            s.percents.append(value)
            s.texts.append(text)
            share, note = NOTES.get(month, (0.0, ""))
            s.notes.append(note if share and rng.random() < share else "")

    # -- statuses ----------------------------------------------------------------------------

    def _statuses(self) -> tuple[dict[tuple[str, str], UnitPeriodSpec], dict[str, list[str]]]:
        """Every unit's submission of every period, and the 2022-07 units by status."""
        rng = self.rng_status
        units = list(self.units)
        months = [m for m in REPORT_MONTHS if m <= LAST_APPROVED]
        late_pairs: set[tuple[str, Month]] = set()
        for unit in rng.sample(units, min(4, len(units))):
            for month in rng.sample(months, rng.randint(1, 3)):
                late_pairs.add((unit, month))
        out: dict[tuple[str, str], UnitPeriodSpec] = {}
        for month in months:
            for unit in units:
                late = (unit, month) in late_pairs
                shift = rng.randint(1, 3) if late else -rng.choice((0, 0, 1, 1, 2, 3, 4))
                review = (rng.randint(1, 3) if late else -shift + rng.randint(1, 4))
                out[(unit, _code(month))] = UnitPeriodSpec(
                    unit, _code(month), APPROVED, late=late, at_shift=shift,
                    at_minute=rng.randint(0, 540), review_shift=review, review_minute=rng.randint(0, 540))

        n = len(units)
        drafting = [u for u in units if u == DRAFT_UNIT]
        others = [u for u in units if u != DRAFT_UNIT]
        rng.shuffle(others)
        returned_count = min(CURRENT_RETURNED, len(others))
        submitted_count = min(round(CURRENT_SUBMITTED * n / 16), len(others) - returned_count)
        current = {
            SUBMITTED: others[:submitted_count],
            RETURNED_STATUS: others[submitted_count:submitted_count + returned_count],
            DRAFT: drafting + others[submitted_count + returned_count:],
        }
        late_now = set(current[SUBMITTED][:min(CURRENT_LATE, submitted_count)])
        code = _code(CURRENT)
        for unit in units:
            if unit in current[SUBMITTED]:
                late = unit in late_now
                out[(unit, code)] = UnitPeriodSpec(
                    unit, code, SUBMITTED, late=late,
                    at_shift=rng.randint(1, 2) if late else -rng.randint(0, 3), at_minute=rng.randint(0, 540))
            elif unit in current[RETURNED_STATUS]:
                out[(unit, code)] = UnitPeriodSpec(
                    unit, code, RETURNED_STATUS, at_shift=-rng.randint(2, 3), at_minute=rng.randint(0, 540),
                    review_shift=rng.randint(1, 2), review_minute=rng.randint(0, 540), return_reason=UNIT_RETURN_REASON)
            else:
                out[(unit, code)] = UnitPeriodSpec(unit, code, DRAFT, at_shift=rng.randint(-3, 2),
                                                   at_minute=rng.randint(0, 540))
        return out, {status: list(codes) for status, codes in current.items()}

    # -- planted problems --------------------------------------------------------------------

    def _wanted(self, kinds: Iterable[str]) -> list[tuple[str, Month, str | None]]:
        return [plant for plant in PLANTS if plant[0] in kinds]

    def _unit_for(self, preferred: str | None, current: dict[str, list[str]]) -> str | None:
        if preferred == RETURNED:
            returned = current[RETURNED_STATUS]
            return returned[0] if returned else None
        return preferred if preferred in self.units else None

    def _plant(self, kind: str, month: Month, preferred: str | None, current: dict[str, list[str]],
               candidates: Sequence[Any], try_one: Callable[[Any], bool], unit_of: Callable[[Any], str],
               ref_of: Callable[[Any], int]) -> None:
        """Plant one problem: the first candidate (preferred unit first, then the least used units) that fits."""
        rng = self.rng_planted
        used = {s.ref for s in self.planted}
        per_unit = Counter(s.unit_code for s in self.planted)
        unit = self._unit_for(preferred, current)
        pool = [c for c in candidates if ref_of(c) not in used]
        keys = {ref_of(c): (unit_of(c) != unit, per_unit[unit_of(c)], rng.random()) for c in pool}
        for candidate in sorted(pool, key=lambda c: keys[ref_of(c)]):
            if try_one(candidate):
                self.planted.append(PlantedSpec(ref_of(candidate), unit_of(candidate), _code(month), kind))
                return

    def _plant_amounts(self, current: dict[str, list[str]]) -> None:
        ordered = [self.series[ref] for ref in sorted(self.series)]
        for kind, month, preferred in self._wanted((SPIKE, YTD_OVER_PLAN, CUMULATIVE_OVER_TOTAL, COMPLETED_REPORTED)):
            attempt = {SPIKE: self._try_spike, YTD_OVER_PLAN: self._try_ytd, CUMULATIVE_OVER_TOTAL: self._try_cumulative,
                       COMPLETED_REPORTED: self._try_completed}[kind]
            self._plant(kind, month, preferred, current, ordered, lambda s, a=attempt, m=month: a(s, m),
                        lambda s: s.spec.unit_code, lambda s: s.spec.ref)

    def _try_spike(self, s: _Series, month: Month) -> bool:
        """A month several times the trailing average (a typo, or a year's invoices booked at once)."""
        i = s.index(month)
        if i is None or i < SPIKE_WINDOW or min(s.amounts[i - SPIKE_WINDOW:i]) <= 0:
            return False
        saved = list(s.amounts)
        average = sum(s.amounts[i - SPIKE_WINDOW:i]) / SPIKE_WINDOW
        s.amounts[i] = _round(average * self.rng_planted.uniform(PLANTED_SPIKE_RATIO + 0.2, 6.0))
        ytd, cumulative = s.running()
        if s.spike_ratio(i) >= PLANTED_SPIKE_RATIO and s.clean(except_at=i) \
                and ytd[i] <= 0.9 * s.plan(month[0]) and cumulative[-1] <= 0.95 * s.total:
            return True
        s.amounts = saved
        return False

    def _try_ytd(self, s: _Series, month: Month) -> bool:
        """The year's months run so far ahead that the year to date passes the annual plan."""
        i = s.index(month)
        plan = s.plan(month[0])
        if i is None or not plan or s.amounts[i] <= 0:
            return False
        year_months = [j for j, m in enumerate(s.months) if m[0] == month[0] and j <= i]
        if len(year_months) < month[1]:  # at work since January
            return False
        ytd, _cumulative = s.running()
        factor = plan * self.rng_planted.uniform(1.04, 1.15) / max(ytd[i], 1)
        if not 1.0 < factor <= 2.3:
            return False
        saved = list(s.amounts)
        for j in year_months:
            s.amounts[j] = _round(s.amounts[j] * factor)
        ytd, cumulative = s.running()
        if ytd[i] > plan and ytd[i - 1] < plan and s.spike_ratio(i) <= NORMAL_SPIKE_RATIO \
                and s.clean(except_at=i) and cumulative[-1] <= 0.97 * s.total:
            return True
        s.amounts = saved
        return False

    def _try_cumulative(self, s: _Series, month: Month) -> bool:
        """The total investment was never updated after the budget grew: cumulative passes it."""
        i = s.index(month)
        if i is None or i != len(s.months) - 1 or (s.spec.actual_start or EARLIEST) >= EARLIEST \
                or s.amounts[i] < 10_000:
            return False
        opening = _round(s.total - sum(s.amounts[:i]) - s.amounts[i] * self.rng_planted.uniform(0.3, 0.7))
        if opening < 0:
            return False
        saved = s.opening
        s.opening = opening
        _ytd, cumulative = s.running()
        if cumulative[i] > s.total and cumulative[i - 1] <= s.total and s.clean(except_at=i):
            return True
        s.opening = saved
        return False

    def _try_completed(self, s: _Series, month: Month) -> bool:
        """A project completed months ago still reports investment (the final payment)."""
        end = s.spec.actual_end
        if s.spec.stage != "completed" or end is None or not dt.date(2022, 1, 1) <= end < _first_day((2022, 6)):
            return False
        amount = _round(s.total * self.rng_planted.uniform(0.004, 0.015))
        s.months.append(month)
        s.amounts.append(max(amount, 100))
        ytd, cumulative = s.running()
        if s.spike_ratio(len(s.months) - 1) <= NORMAL_SPIKE_RATIO and ytd[-1] <= 0.95 * s.plan(month[0]) \
                and cumulative[-1] <= 0.97 * s.total:
            return True
        s.months.pop()
        s.amounts.pop()
        return False

    def _plant_percents(self, current: dict[str, list[str]]) -> None:
        ordered = [self.series[ref] for ref in sorted(self.series)]
        for kind, month, preferred in self._wanted((PERCENT_DOWN,)):
            self._plant(kind, month, preferred, current, ordered, lambda s, m=month: self._try_percent(s, m),
                        lambda s: s.spec.unit_code, lambda s: s.spec.ref)

    def _try_percent(self, s: _Series, month: Month) -> bool:
        """Percent complete below last month's (digits swapped, or another project's row)."""
        i = s.index(month)
        if i is None or i < 1 or s.percents[i - 1] < 15 or s.percents[i] >= 100:
            return False
        s.percents[i] = round(max(0.5, s.percents[i - 1] - self.rng_planted.uniform(5, 15)), 1)
        return True

    def _plant_not_started(self, current: dict[str, list[str]]) -> None:
        """A project still in the ready library reports investment (it started but was never moved on)."""
        candidates = [p for p in self.projects if p.stage == "ready" and p.plan_for(CURRENT[0]) > 0
                      and p.planned_start is not None and p.planned_start <= _last_day(CURRENT)]
        if len(candidates) < 2:
            candidates = [p for p in self.projects if p.stage == "ready" and p.plan_for(CURRENT[0]) > 0]

        def attempt(p: ProjectSpec) -> bool:
            rng = self.rng_planted
            amount = max(_round(p.plan_for(CURRENT[0]) * 10_000 * rng.uniform(0.03, 0.08)), 100)
            s = _Series(spec=p, months=[CURRENT], amounts=[amount], started=False,
                        percents=[round(rng.uniform(1, 3), 1)], texts=["施工准备，临时设施搭建"], notes=[""])
            self.series[p.ref] = s
            return True

        for kind, month, preferred in self._wanted((NOT_STARTED,)):
            self._plant(kind, month, preferred, current, candidates, attempt, lambda p: p.unit_code, lambda p: p.ref)

    def _return_reasons(self, current: dict[str, list[str]]) -> None:
        """The returned unit's two rows the city gives a reason for (its planted rows, else its biggest)."""
        returned = current[RETURNED_STATUS]
        if not returned:
            return
        unit = returned[0]
        code = _code(CURRENT)
        rows = [(s.kind, s.ref) for s in self.planted if s.unit_code == unit and s.period == code]
        chosen = {ref: ROW_RETURN_REASONS.get(kind, ROW_RETURN_REASONS[""]) for kind, ref in rows[:2]}
        biggest = sorted((s for s in self.series.values() if s.spec.unit_code == unit and CURRENT in s.months),
                         key=lambda s: (-s.total, s.spec.ref))
        for s in biggest:
            if len(chosen) >= 2:
                break
            chosen.setdefault(s.spec.ref, ROW_RETURN_REASONS[""])
        self.returned_rows = chosen

    # -- rows --------------------------------------------------------------------------------

    def _reports(self, statuses: dict[tuple[str, str], UnitPeriodSpec], current: dict[str, list[str]]) -> list[ReportSpec]:
        rng = self.rng_status
        planted = {(s.ref, s.period) for s in self.planted}
        drafting = set(current[DRAFT])
        code_now = _code(CURRENT)
        # Drafting units have not filled every project yet.
        missing: set[int] = set()
        for unit in sorted(drafting):
            refs = sorted(ref for ref, s in self.series.items()
                          if s.spec.unit_code == unit and CURRENT in s.months and (ref, code_now) not in planted)
            missing.update(rng.sample(refs, int(len(refs) * rng.uniform(0.2, 0.45))))
        reports: list[ReportSpec] = []
        for ref in sorted(self.series):
            s = self.series[ref]
            ytd, cumulative = s.running()
            unit = s.spec.unit_code
            for i, month in enumerate(s.months):
                code = _code(month)
                if month == CURRENT and ref in missing:
                    continue
                status = statuses[(unit, code)].status
                reason = self.returned_rows.get(ref, "") if status == RETURNED_STATUS else ""
                reports.append(ReportSpec(
                    ref=ref, unit_code=unit, period=code, month_yuan=s.amounts[i], ytd_yuan=ytd[i],
                    cumulative_yuan=cumulative[i], percent=_percent(s.percents[i]), physical_progress=s.texts[i],
                    started=s.started, notes=s.notes[i], status=status, return_reason=reason))
        return reports

    def _corrections(self, reports: list[ReportSpec]) -> list[CorrectionSpec]:
        """Two units ask to correct an approved June row."""
        rng = self.rng_status
        code = _code(LAST_APPROVED)
        planted = {(s.ref, s.period) for s in self.planted}
        june = [r for r in reports if r.period == code and (r.ref, r.period) not in planted and r.month_yuan > 0]
        units = sorted({r.unit_code for r in june})
        out: list[CorrectionSpec] = []
        for n, unit in enumerate(rng.sample(units, min(2, len(units)))):
            row = rng.choice([r for r in june if r.unit_code == unit])
            if n == 0:
                new = _round(row.month_yuan * rng.uniform(1.1, 1.3))
                # in the input's own terms, as ``services.correction_request`` stores them (万元 as a string)
                changes: dict[str, Any] = {"month_amount": str(yuan_to_wan(new))}
                reason = (f"6月份漏报设备购置款{(new - row.month_yuan) / 10_000:.2f}万元（发票已于7月初补齐），"
                          f"申请将本月完成投资由{row.month_yuan / 10_000:.2f}万元更正为{new / 10_000:.2f}万元。")
            else:
                changes = {"physical_progress": f"{row.physical_progress.split('，')[0]}，完成当月计划工程量"}
                reason = "6月份形象进度误填为上月内容，申请按监理月报更正。"
            out.append(CorrectionSpec(row.ref, unit, code, changes, reason, after_review=rng.randint(2, 6),
                                      minute=rng.randint(0, 540)))
        return out


def generate(ctx: GenerationContext) -> ProgressDemo:
    return ProgressGenerator(ctx).run()


# --- loading ---------------------------------------------------------------------------------

BATCH_SIZE = 2000


def _shift(day: dt.date, n: int) -> dt.date:
    """``n`` Chinese working days after (before, when negative) ``day``."""
    step = dt.timedelta(days=1 if n > 0 else -1)
    while n:
        day += step
        if is_working_day(day):
            n -= 1 if n > 0 else -1
    return day


def _at(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8, 30), tzinfo=DEMO_TZ) + dt.timedelta(minutes=minute)


REPORT_COLUMNS = ("unit_id", "period_id", "project_id", "month_amount_yuan", "ytd_amount_yuan",
                  "cumulative_amount_yuan", "physical_progress", "percent_complete", "started", "notes", "status",
                  "return_reason", "updated_at", "updated_by_id")


def _insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]],
                 chunk: int = 5000) -> int:
    """Insert plain rows with one prepared statement (``executemany``), as the imports write in bulk.

    ``bulk_create`` spends most of its time preparing each value of each object; here only values
    the database driver cannot take as they are (dates, decimals, UUIDs, JSON) go through their
    field, once per distinct value. Fields not in ``columns`` get their default, computed once.
    """
    meta = model._meta
    given = [meta.get_field(name) for name in columns]
    rest = [f for f in meta.concrete_fields if f not in given and not f.primary_key]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    converters: list[Callable[[Any], Any] | None] = []
    for f in given:
        if isinstance(f, DateField | DecimalField | UUIDField | JSONField):
            cache: dict[Any, Any] = {}

            def convert(value: Any, f: Field = f, cache: dict[Any, Any] = cache) -> Any:
                if value not in cache:
                    cache[value] = f.get_db_prep_save(value, connection)
                return cache[value]
            converters.append(convert)
        else:
            converters.append(None)
    quote = connection.ops.quote_name
    names = [f.column for f in given] + [f.column for f in rest]
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join(['%s'] * len(names))})")
    written = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(v if c is None else c(v) for v, c in zip(row, converters, strict=True)) + defaults)
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def load(ctx: LoadContext, data: ProgressDemo) -> None:
    """Write the periods, submissions, reports, correction requests and summaries in bulk.

    Rows are not audited one by one (demo history, not changes anybody made); the step leaves one
    batch entry with its counts. Everything runs inside the demo's audit context and transaction.
    """
    periods = {code: period_open(code) for code in data.periods}
    reviewer = ctx.users.get("fgw")
    unit_users = {code: ctx.users.get(code) for code in ctx.orgs}
    times: dict[tuple[str, str], tuple[dt.datetime, dt.datetime | None]] = {}
    unit_periods = []
    for spec in data.unit_periods:
        period = periods[spec.period]
        day = _shift(period.deadline, spec.at_shift)
        at = _at(day, spec.at_minute)
        reviewed = _at(_shift(day, spec.review_shift), spec.review_minute) if spec.review_shift else None
        times[(spec.unit_code, spec.period)] = (at, reviewed)
        submitted = spec.status != DRAFT
        unit_periods.append(UnitPeriod(
            period=period, unit=ctx.orgs[spec.unit_code], status=spec.status,
            submitted_at=at if submitted else None, submitted_by=unit_users.get(spec.unit_code) if submitted else None,
            late=spec.late, reviewed_at=reviewed, reviewed_by=reviewer if reviewed else None,
            return_reason=spec.return_reason,
        ))
    UnitPeriod.objects.bulk_create(unit_periods, batch_size=BATCH_SIZE)

    edited = dt.timedelta(minutes=40)  # rows were last saved a little before the submission
    users = {code: (u.pk if u else None) for code, u in unit_users.items()}
    orgs = {code: org.pk for code, org in ctx.orgs.items()}
    period_ids = {code: p.pk for code, p in periods.items()}
    drafting = {(s.unit_code, s.period) for s in data.unit_periods if s.status == DRAFT}
    row_times = {key: at if key in drafting else at - edited for key, (at, _reviewed) in times.items()}
    written = _insert_rows(ProgressReport, REPORT_COLUMNS, (
        (orgs[r.unit_code], period_ids[r.period], ctx.project_ids[r.ref], r.month_yuan, r.ytd_yuan,
         r.cumulative_yuan, r.physical_progress, r.percent, r.started, r.notes, r.status, r.return_reason,
         row_times[(r.unit_code, r.period)], users.get(r.unit_code))
        for r in data.reports
    ))

    corrections = []
    for c in data.corrections:
        submitted_at, reviewed = times[(c.unit_code, c.period)]
        report = ProgressReport.objects.get(period_id=period_ids[c.period], project_id=ctx.project_ids[c.ref])
        day = _shift((reviewed or submitted_at).date(), c.after_review)
        corrections.append(CorrectionRequest(
            unit_id=orgs[c.unit_code], report=report, changes=c.changes, reason=c.reason,
            requested_by=unit_users[c.unit_code], requested_at=_at(day, c.minute)))
    CorrectionRequest.objects.bulk_create(corrections)

    approved = {spec.period for spec in data.unit_periods if spec.status == APPROVED}
    summaries = sum(refresh_unit_month_summary(period=periods[code]) for code in sorted(approved))

    counts = {
        "progress_periods": len(periods), "unit_periods": len(unit_periods), "progress_reports": written,
        "correction_requests": len(corrections), "unit_month_summaries": summaries,
    }
    labels = {"progress_periods": "报送期", "unit_periods": "单位月度报送", "progress_reports": "项目月度进展",
              "correction_requests": "更正申请", "unit_month_summaries": "单位月度汇总"}
    for key, n in counts.items():
        ctx.count(key, n, labels[key])
    planted = Counter(s.kind for s in data.planted)
    ctx.count("planted_quality_problems", len(data.planted), "预置数据质量问题")
    ctx.audit_batch([build_entry(
        action="import", object_type="reporting.progressreport",
        object_id=f"{data.periods[0]}—{data.periods[-1]}",
        object_repr=f"演示数据：月度投资进展（{data.periods[0]}—{data.periods[-1]}）",
        after={**counts, "planted_quality_problems": dict(sorted(planted.items()))},
    )])


def reset(ctx: LoadContext) -> None:
    """Delete the reporting data (before the projects, users and organisations it refers to)."""
    for label, key, model in (("更正申请", "correction_requests", CorrectionRequest),
                              ("单位月度汇总", "unit_month_summaries", UnitMonthSummary),
                              ("项目月度进展", "progress_reports", ProgressReport),
                              ("单位月度报送", "unit_periods", UnitPeriod)):
        with connection.cursor() as cursor:  # leaf rows: one statement each, no per-row signals
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            ctx.count_deleted(key, max(cursor.rowcount, 0), label)
    count = Period.objects.count()
    Period.objects.all().delete()  # through the ORM: whatever else refers to periods cascades or refuses
    ctx.count_deleted("progress_periods", count, "报送期")


register_step(DemoStep(name="progress", label="月度投资进展（2021-01—2022-07）", order=100,
                       generate=generate, load=load, reset=reset))
