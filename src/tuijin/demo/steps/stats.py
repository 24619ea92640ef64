"""Demo step: official statistics 2020-01 … 2022-06 (issue 4 item 8; DESIGN §4.6, §7).

Imported by ``tuijin.demo.steps.demo_steps()`` (see ``step_modules``); runs after
monthly progress (order 110). For the city and its 16 reporting units, every month of 2020
(the baselines) and 2021 and January–June 2022, all four indicators (``fai``, ``industrial``,
``infrastructure``, ``real_estate``): the year-to-date value (whole 万元) and the year-on-year
growth (percent, one decimal, as the bureau publishes it).

**Every month, January included.** The bureau's public releases combine January and February
(1–2月), but it supplies the city a January figure for its monthly monitoring; the demo has one
for every month, so that every month has a ranking and the forecast (issue 4 item 5) finds twelve
cumulative values in each earlier year to take its monthly shares from.

How the figures are made (pure; ``generate`` touches no database):

* **Scale.** Each unit's 2021 FAI (亿元, :data:`FAI_2021_YI`) sums to 8,000亿元 for the city.
  2020 is 2021 divided by the unit's 2021 growth (:data:`GROWTH_2021`), 2019 (not stored; it
  only gives 2020 its growth) 2020 divided by :data:`GROWTH_2020`.
* **Months.** A year's total is spread over the months with Zhengzhou's seasonal shape
  (:data:`SEASON`: low in January–February, a June and December push) times the year's events
  (:data:`EVENTS`: the early-2020 epidemic; the "7·20" rainstorm in July 2021 and the clean-up
  and outbreak in August 2021, with some catching up in September–October), times a little
  noise per unit and month. So 2021's cumulative growth runs high in spring (over the weak
  2020 base) and drops after the flood to the unit's annual growth in December.
* **Categories.** Industrial, infrastructure and real-estate investment are the unit's shares
  (:data:`CATEGORY_SHARES`; zones industrial, central districts real estate) of its FAI, with
  noise; they never add up to more than the FAI.
* **2022 is shaped.** Each unit's cumulative FAI growth per month follows :data:`PATHS_2022`
  (a smooth path with a little noise, made unique per month so that only the planned tie is a
  tie), and the 2022 value is last year's same month × (1 + growth). Categories follow the
  unit's FAI growth around their own level (industry up, real estate down, as in 2022).
* **The city** is the sum of the units, for every indicator and month; its growth is computed
  from those sums.

What the 2022 rankings (cumulative FAI growth, competition ranking) then show — the story the
assessment pages tell (三(三) 末位约谈制):

* last place: 新密市 (``xinmi``) in 2022-01 only (a notice, then the streak resets);
  登封市 (``dengfeng``) in 2022-02 and 2022-03 (notice, deputy-mayor talk), then out of last place;
  上街区 (``shangjie``) in 2022-04, 2022-05 and 2022-06 — three months in a row: a mayor talk
  in 2022-06. In December 2021 惠济区 (``huiji``, hardest hit by the flood) is last, so a streak
  counted across the year boundary changes nothing for 2022;
* a tie: 二七区 and 管城区 (``erqi``, ``guancheng``) both at 9.6 % in 2022-06, sharing a rank;
* lagging units below the 10 % unit target in 2022-06: 二七区, 管城区, 金水区, 上街区, 惠济区,
  新密市, 登封市 (:data:`LAGGING_2022_06`).

:func:`generate` checks its own output (ranges, monotone year-to-date values, city = sum of
units, the planned ranking) and fails loudly if a change breaks the story.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from tuijin.assessment.models import Escalation
from tuijin.assessment.services import escalations_record
from tuijin.audit.services import build_entry
from tuijin.demo.generate import CITY_ORG, DEMO_TZ
from tuijin.demo.steps import DemoStep, GenerationContext, LoadContext, register_step
from tuijin.stats.models import OfficialStat
from tuijin.toolkit.ranking import last_place, rank

Month = tuple[int, int]

FAI, INDUSTRIAL, INFRASTRUCTURE, REAL_ESTATE = "fai", "industrial", "infrastructure", "real_estate"
INDICATORS = (FAI, INDUSTRIAL, INFRASTRUCTURE, REAL_ESTATE)
CATEGORIES = (INDUSTRIAL, INFRASTRUCTURE, REAL_ESTATE)
BASE_YEARS = (2020, 2021)
YEAR, LAST_MONTH = 2022, 6
MONTHS: tuple[Month, ...] = (*((y, m) for y in BASE_YEARS for m in range(1, 13)),
                             *((YEAR, m) for m in range(1, LAST_MONTH + 1)))
GROWTH_RANGE = (Decimal(-10), Decimal(25))

#: 2021 fixed-asset investment per unit, 亿元 (sums to 8,000亿元).
FAI_2021_YI = {
    "zhongyuan": 430, "erqi": 470, "guancheng": 450, "jinshui": 560, "shangjie": 160, "huiji": 380,
    "zhongmou": 720, "gongyi": 340, "xingyang": 420, "xinmi": 330, "xinzheng": 620, "dengfeng": 280,
    "zhengdong": 760, "jingkai": 520, "gaoxin": 480, "hangkonggang": 1080,
}
#: Annual growth factors: 2021 over 2020 (the flood year; 惠济、新密、巩义、登封 hardest hit), 2020 over 2019.
GROWTH_2021 = {
    "zhongyuan": 1.000, "erqi": 0.990, "guancheng": 1.010, "jinshui": 1.004, "shangjie": 1.012, "huiji": 0.950,
    "zhongmou": 1.040, "gongyi": 0.978, "xingyang": 1.020, "xinmi": 0.968, "xinzheng": 1.022, "dengfeng": 0.972,
    "zhengdong": 1.030, "jingkai": 1.044, "gaoxin": 1.038, "hangkonggang": 1.048,
}
GROWTH_2020 = {
    "zhongyuan": 1.031, "erqi": 1.042, "guancheng": 1.034, "jinshui": 1.036, "shangjie": 1.032, "huiji": 1.045,
    "zhongmou": 1.058, "gongyi": 1.033, "xingyang": 1.047, "xinmi": 1.036, "xinzheng": 1.061, "dengfeng": 1.035,
    "zhengdong": 1.052, "jingkai": 1.049, "gaoxin": 1.066, "hangkonggang": 1.078,
}
#: Shares of the unit's FAI: (industrial, infrastructure, real estate).
CATEGORY_SHARES = {
    "zhongyuan": (0.10, 0.26, 0.48), "erqi": (0.08, 0.24, 0.52), "guancheng": (0.09, 0.27, 0.49),
    "jinshui": (0.04, 0.28, 0.55), "shangjie": (0.42, 0.22, 0.20), "huiji": (0.06, 0.30, 0.50),
    "zhongmou": (0.24, 0.24, 0.40), "gongyi": (0.40, 0.26, 0.18), "xingyang": (0.30, 0.26, 0.30),
    "xinmi": (0.38, 0.27, 0.20), "xinzheng": (0.26, 0.25, 0.36), "dengfeng": (0.34, 0.30, 0.18),
    "zhengdong": (0.05, 0.30, 0.52), "jingkai": (0.44, 0.22, 0.22), "gaoxin": (0.36, 0.22, 0.30),
    "hangkonggang": (0.46, 0.26, 0.18),
}
#: Zhengzhou's monthly shape of investment (relative weights).
SEASON = {1: 0.55, 2: 0.50, 3: 0.92, 4: 0.96, 5: 1.00, 6: 1.18, 7: 0.98, 8: 0.96, 9: 1.05, 10: 0.98,
          11: 1.05, 12: 1.30}
#: Each year's own events on the shape.
EVENTS: dict[Month, float] = {
    (2020, 1): 0.95, (2020, 2): 0.92, (2020, 3): 0.96, (2020, 4): 0.98,  # the epidemic in early 2020
    (2021, 7): 0.62,  # "7·20" rainstorm: sites flooded and stopped from 20 July
    (2021, 8): 0.78,  # clean-up after the flood, and the August 2021 outbreak
    (2021, 9): 1.04, (2021, 10): 1.03,  # catching up
}
#: 2022 cumulative FAI growth per unit: (January, June) of a smooth path, or the six months exactly.
PATHS_2022: dict[str, tuple[float, ...]] = {
    "zhongyuan": (11.6, 10.4), "erqi": (10.2, 9.6), "guancheng": (8.1, 9.6), "jinshui": (8.5, 7.2),
    "shangjie": (6.5, 4.0, 1.2, -5.3, -7.2, -8.4), "huiji": (4.9, 6.5), "zhongmou": (11.6, 10.6),
    "gongyi": (9.3, 10.7), "xingyang": (12.4, 11.0), "xinmi": (-4.2, -1.0, 1.8, 4.5, 6.3, 7.7),
    "xinzheng": (11.2, 10.3), "dengfeng": (3.0, -6.1, -3.4, 2.5, 4.8, 6.0), "zhengdong": (9.0, 8.6),
    "jingkai": (14.9, 12.7), "gaoxin": (13.6, 12.1), "hangkonggang": (14.3, 12.6),
}
#: 2022 category growth: level (percent) and how much of the unit's FAI growth gap it follows.
CATEGORY_2022 = {INDUSTRIAL: (16.0, 0.4), INFRASTRUCTURE: (12.0, 0.4), REAL_ESTATE: (-2.0, 0.4)}

#: The planned shape of the 2022 FAI rankings (checked by ``generate``).
LAST_PLACE_2022: dict[int, str] = {1: "xinmi", 2: "dengfeng", 3: "dengfeng", 4: "shangjie", 5: "shangjie",
                                   6: "shangjie"}
TIE_2022: tuple[int, tuple[str, str]] = (6, ("erqi", "guancheng"))
LAST_PLACE_2021_12 = "huiji"
LAGGING_2022_06 = ("erqi", "guancheng", "jinshui", "shangjie", "huiji", "xinmi", "dengfeng", "zhengdong")
UNIT_TARGET = Decimal(10)

MONTH_NOISE = 0.025  # ± share of a unit's month value
CATEGORY_NOISE = 0.025
CATEGORY_DRIFT = 0.02  # ± a category's share in one year
PATH_NOISE = 0.4  # ± points on a smooth 2022 path (not on the shaped months)
#: The demo's import batch (deterministic, like everything in the demo).
DEMO_BATCH = uuid.uuid5(uuid.NAMESPACE_URL, "tuijin:demo:official_stats")


@dataclass(frozen=True)
class StatSpec:
    """One official figure: year to date in whole 万元, growth in percent (one decimal)."""

    org: str
    indicator: str
    year: int
    month: int
    ytd_wan: int
    growth: Decimal


@dataclass(frozen=True)
class StatsDemo:
    rows: tuple[StatSpec, ...]
    last_place_2022: dict[int, tuple[str, ...]] = field(default_factory=dict)
    ties_2022: dict[int, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


def _growth(current: int, previous: int) -> Decimal:
    return ((Decimal(current) / Decimal(previous) - 1) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _cumulate(months: Iterable[int]) -> list[int]:
    total, out = 0, []
    for value in months:
        total += value
        out.append(total)
    return out


class StatsGenerator:
    def __init__(self, ctx: GenerationContext) -> None:
        self.units = [u.code for u in ctx.facts.units]
        self.rng = ctx.rng("official_stats")
        self.rng_2022 = ctx.rng("official_stats_2022")

    # -- 2019 (virtual), 2020, 2021 from annual totals and monthly shapes --------------
    def _year_months(self, rng: random.Random, year: int, total_wan: float, *, noise: bool) -> list[int]:
        weights = [SEASON[m] * EVENTS.get((year, m), 1.0) * (1 + (rng.uniform(-MONTH_NOISE, MONTH_NOISE)
                                                                  if noise else 0)) for m in range(1, 13)]
        scale = total_wan / sum(weights)
        return [round(w * scale) for w in weights]

    @staticmethod
    def _in_range(months: list[int], previous: list[int] | None) -> bool:
        if previous is None:
            return True
        low, high = GROWTH_RANGE
        return all(low <= _growth(a, b) <= high for a, b in zip(_cumulate(months), _cumulate(previous), strict=True))

    @classmethod
    def _draw(cls, make: Callable[[bool], list[int]], previous: list[int] | None) -> list[int]:
        """A year's months from ``make(noise)``, redrawn while their cumulative growth over ``previous``
        leaves :data:`GROWTH_RANGE` (any seed keeps the range); without noise as the last resort."""
        for _attempt in range(20):
            months = make(True)
            if cls._in_range(months, previous):
                return months
        return make(False)

    def _base_years(self) -> dict[tuple[str, str, int], list[int]]:
        """(unit, indicator, year) → 12 monthly values (万元) for 2019, 2020 and 2021."""
        rng = self.rng
        monthly: dict[tuple[str, str, int], list[int]] = {}
        for unit in self.units:
            fai_2021 = FAI_2021_YI.get(unit, 400) * 10_000.0
            fai_2020 = fai_2021 / GROWTH_2021.get(unit, 1.0)
            totals = {2019: fai_2020 / GROWTH_2020.get(unit, 1.04), 2020: fai_2020, 2021: fai_2021}
            shares = CATEGORY_SHARES.get(unit, (0.25, 0.25, 0.35))
            for year, total in totals.items():
                fai = self._draw(lambda noise, year=year, total=total: self._year_months(rng, year, total, noise=noise),
                                 monthly.get((unit, FAI, year - 1)))
                monthly[(unit, FAI, year)] = fai
                for category, share in zip(CATEGORIES, shares, strict=True):
                    def make(noise: bool, fai: list[int] = fai, share: float = share) -> list[int]:
                        if not noise:
                            return [round(v * share) for v in fai]
                        drift = 1 + rng.uniform(-CATEGORY_DRIFT, CATEGORY_DRIFT)  # the category's own year
                        return [round(v * share * drift * (1 + rng.uniform(-CATEGORY_NOISE, CATEGORY_NOISE)))
                                for v in fai]
                    monthly[(unit, category, year)] = self._draw(make, monthly.get((unit, category, year - 1)))
        return monthly

    # -- 2022: shaped growth paths --------------------------------------------------------
    def _fai_paths(self) -> dict[str, list[Decimal]]:
        rng = self.rng_2022
        paths: dict[str, list[Decimal]] = {}
        for unit in self.units:
            spec = PATHS_2022.get(unit, (10.0, 10.0))
            if len(spec) == LAST_MONTH:
                values = [Decimal(str(v)) for v in spec]
            else:
                start, end = spec
                values = []
                for m in range(1, LAST_MONTH + 1):
                    value = start + (end - start) * (m - 1) / (LAST_MONTH - 1)
                    if m < LAST_MONTH:
                        value += rng.uniform(-PATH_NOISE, PATH_NOISE)
                    values.append(Decimal(str(round(value, 1))))
            paths[unit] = values
        month, tied = TIE_2022
        fixed = {(month, code) for code in tied} | {(m, code) for m, code in LAST_PLACE_2022.items()}
        fixed |= {(m, code) for code, spec in PATHS_2022.items() if len(spec) == LAST_MONTH
                  for m in range(1, LAST_MONTH + 1)}
        for m in range(1, LAST_MONTH + 1):  # only the planned tie is a tie
            taken = {paths[code][m - 1] for code in self.units if (m, code) in fixed}
            for code in self.units:
                if (m, code) in fixed:
                    continue
                while paths[code][m - 1] in taken:
                    paths[code][m - 1] += Decimal("0.1")
                taken.add(paths[code][m - 1])
        return paths

    def _category_growth(self, fai_paths: dict[str, list[Decimal]]) -> dict[tuple[str, str], list[Decimal]]:
        rng = self.rng_2022
        mean = [sum(fai_paths[u][m] for u in self.units) / len(self.units) for m in range(LAST_MONTH)]
        out: dict[tuple[str, str], list[Decimal]] = {}
        low, high = GROWTH_RANGE
        for unit in self.units:
            for category, (level, follow) in CATEGORY_2022.items():
                own = rng.uniform(-2.5, 2.5)
                values = []
                for m in range(LAST_MONTH):
                    value = level + follow * float(fai_paths[unit][m] - mean[m]) + own + rng.uniform(-0.3, 0.3)
                    values.append(min(max(Decimal(str(round(value, 1))), low), high))
                out[(unit, category)] = values
        return out

    # -- everything ----------------------------------------------------------------------------
    def run(self) -> StatsDemo:
        monthly = self._base_years()
        ytd: dict[tuple[str, str, int], list[int]] = {key: _cumulate(values) for key, values in monthly.items()}
        fai_paths = self._fai_paths()
        growth_2022 = {(u, FAI): fai_paths[u] for u in self.units} | self._category_growth(fai_paths)
        for (unit, indicator), path in growth_2022.items():
            base = ytd[(unit, indicator, 2021)]
            ytd[(unit, indicator, YEAR)] = [int((Decimal(base[m]) * (1 + path[m] / 100)).to_integral_value(
                ROUND_HALF_UP)) for m in range(LAST_MONTH)]
        for indicator in INDICATORS:
            for year in (2019, *BASE_YEARS, YEAR):
                months = 12 if year < YEAR else LAST_MONTH
                ytd[(CITY_ORG, indicator, year)] = [sum(ytd[(u, indicator, year)][m] for u in self.units)
                                                    for m in range(months)]
        rows = []
        for org in (CITY_ORG, *self.units):
            for indicator in INDICATORS:
                for year, month in MONTHS:
                    value = ytd[(org, indicator, year)][month - 1]
                    previous = ytd[(org, indicator, year - 1)][month - 1]
                    rows.append(StatSpec(org, indicator, year, month, value, _growth(value, previous)))
        return self._check(rows, fai_paths)

    def _check(self, rows: list[StatSpec], fai_paths: dict[str, list[Decimal]]) -> StatsDemo:
        """The story holds: ranges, monotone ytd, categories within FAI, the planned 2022 ranking."""
        by_key = {(r.org, r.indicator, r.year, r.month): r for r in rows}
        low, high = GROWTH_RANGE
        for r in rows:
            if not low <= r.growth <= high:
                raise AssertionError(f"demo growth out of range: {r}")
            if r.month > 1 and by_key[(r.org, r.indicator, r.year, r.month - 1)].ytd_wan >= r.ytd_wan:
                raise AssertionError(f"demo ytd not rising: {r}")
            if r.indicator == FAI and r.org != CITY_ORG:
                parts = sum(by_key[(r.org, c, r.year, r.month)].ytd_wan for c in CATEGORIES)
                if parts > r.ytd_wan:
                    raise AssertionError(f"demo categories exceed FAI: {r}")
            if r.year == YEAR and r.indicator == FAI and r.org != CITY_ORG:
                if r.growth != fai_paths[r.org][r.month - 1]:
                    raise AssertionError(f"demo 2022 growth off its path: {r}")
        last: dict[int, tuple[str, ...]] = {}
        ties: dict[int, tuple[tuple[str, ...], ...]] = {}
        for month in range(1, LAST_MONTH + 1):
            values = {u: by_key[(u, FAI, YEAR, month)].growth for u in self.units}
            ranked = rank(values)
            last[month] = tuple(sorted(last_place(ranked)))
            groups: dict[int, list[str]] = {}
            for item in ranked:
                groups.setdefault(item.rank, []).append(item.org)
            ties[month] = tuple(tuple(sorted(g)) for g in groups.values() if len(g) > 1)
        if set(self.units) == set(FAI_2021_YI):
            planned_last = {m: (code,) for m, code in LAST_PLACE_2022.items()}
            month, tied = TIE_2022
            planned_ties = {m: () for m in range(1, LAST_MONTH + 1)} | {month: (tuple(sorted(tied)),)}
            if last != planned_last or ties != planned_ties:
                raise AssertionError(f"demo 2022 ranking off plan: last {last}, ties {ties}")
            december = rank({u: by_key[(u, FAI, 2021, 12)].growth for u in self.units})
            if last_place(december) != {LAST_PLACE_2021_12}:
                raise AssertionError(f"demo 2021-12 last place: {last_place(december)}")
            june = {u for u in self.units if by_key[(u, FAI, YEAR, LAST_MONTH)].growth < UNIT_TARGET}
            if june != set(LAGGING_2022_06):
                raise AssertionError(f"demo lagging units in 2022-06: {sorted(june)}")
        return StatsDemo(rows=tuple(rows), last_place_2022=last, ties_2022=ties)


def generate(ctx: GenerationContext) -> StatsDemo:
    return StatsGenerator(ctx).run()


# --- loading ---------------------------------------------------------------------------------


def load(ctx: LoadContext, data: StatsDemo) -> None:
    """Write every figure in bulk, as one import batch of the statistics bureau's user.

    Rows are not audited one by one (demo history, not changes anybody made); the step leaves
    one batch entry with its counts, inside the demo's audit context and transaction.
    """
    batch = DEMO_BATCH
    org_ids = {code: org.pk for code, org in ctx.orgs.items()}
    stats = []
    for r in data.rows:
        # Published around the 15th of the following month.
        published = dt.datetime(r.year + r.month // 12, r.month % 12 + 1, 15, 10, 0, tzinfo=DEMO_TZ)
        stats.append(OfficialStat(org_id=org_ids[r.org], indicator=r.indicator, year=r.year, month=r.month,
                                  ytd_value_yuan=r.ytd_wan * 10_000, yoy_growth=r.growth, import_batch=batch,
                                  updated_at=published))
    OfficialStat.objects.bulk_create(stats, batch_size=1000)
    # The supervision office's follow-up list (三(三)): this year's escalations, as an import records them.
    escalations = sum(len(escalations_record(actor=None, year=year, month=month))
                      for year, month in MONTHS if year == MONTHS[-1][0])
    ctx.count("escalations", escalations, "末位约谈记录（本年各月）")
    span = f"{MONTHS[0][0]}-{MONTHS[0][1]:02d}—{MONTHS[-1][0]}-{MONTHS[-1][1]:02d}"
    ctx.count("official_stats", len(stats), "官方统计数据（区县（市）/开发区及全市，四项指标）")
    ctx.audit_batch([build_entry(
        action="import", object_type="stats.statsimport", object_id=str(batch),
        object_repr=f"演示数据：官方统计数据（{span}）",
        after={"rows": len(stats), "orgs": len({r.org for r in data.rows}), "months": len(MONTHS),
               "last_place_2022": {str(m): list(codes) for m, codes in data.last_place_2022.items()},
               "ties_2022": {str(m): [list(t) for t in ts] for m, ts in data.ties_2022.items() if ts}},
    )])


def reset(ctx: LoadContext) -> None:
    """Delete every official figure and the escalations drawn from them (before the organisations)."""
    with connection.cursor() as cursor:  # leaf rows: one statement, no per-row signals
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Escalation._meta.db_table)}")
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(OfficialStat._meta.db_table)}")
        ctx.count_deleted("official_stats", max(cursor.rowcount, 0), "官方统计数据")


register_step(DemoStep(name="official_stats", label="官方统计数据（2020-01—2022-06，含2020年基数）", order=110,
                       generate=generate, load=load, reset=reset))
