"""The plans: each year's targets and rules as a validated data file (DESIGN §3, §9 "a plan per year").

``settings.TUIJIN_PLANS_DIR`` (default ``plans/``) holds one file per city and year; each names its city
and year (``meta.city``, ``meta.year``). The platform runs for one city, ``settings.TUIJIN_CITY`` (the
city's name or the city part of the plan ids, e.g. ``zhengzhou``); left empty, the only city in the
directory. A period, quarter or year is governed by its own year's plan::

    from tuijin.plan import plan_for, plan_for_period

    plan = plan_for(2022)
    plan.target("unit_fai_growth", unit="jinshui")   # Decimal("10")
    plan_for_period("2023-03").rules.quarterly_awards.amount_for(2)

An amendment (``meta.amends`` naming the base plan's id, ``meta.effective`` its date) governs its year
from that date on: ``plan_for(2022, on=date)``. ``current_plan()`` is the plan of the clock's year
(:func:`default_year`). The directory is read once and again when a file in it changes;
``reset_plans()`` forgets it, for tests.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .loader import PlanError, PlanIssue, load_plan, parse_plan
from .schema import Plan, StatisticsCalendarRule

__all__ = ["Plan", "PlanError", "PlanIssue", "PlanSet", "current_plan", "default_year",
           "latest_plan", "load_directory", "load_plan", "parse_plan", "plan_for", "plan_for_period", "plan_for_quarter",
           "plan_of_month", "plan_on",
           "plan_years", "plans", "reset_plans", "statistics_calendar"]

_lock = threading.Lock()
_cache: dict[str, object] = {}


@dataclass(frozen=True)
class PlanSet:
    """Every plan of a directory: base plans and amendments, by city and year."""

    directory: Path
    plans: tuple[Plan, ...] = ()
    files: dict[str, Path] = field(default_factory=dict)

    def cities(self) -> list[str]:
        return sorted({plan.meta.city for plan in self.plans})

    def of_city(self, city: str) -> tuple[Plan, ...]:
        return tuple(p for p in self.plans if city in (p.meta.city, p.meta.city_key))

    def base(self, city: str, year: int) -> Plan | None:
        return next((p for p in self.of_city(city) if p.meta.year == year and not p.meta.amends), None)

    def amendments(self, city: str, year: int) -> list[Plan]:
        return sorted((p for p in self.of_city(city) if p.meta.year == year and p.meta.amends),
                      key=lambda p: p.meta.effective or dt.date.min)

    def years(self, city: str) -> list[int]:
        return sorted({p.meta.year for p in self.of_city(city) if not p.meta.amends})


def _fingerprint(directory: Path) -> tuple:
    try:
        entries = sorted(directory.glob("*.yaml"))
    except OSError:
        return (str(directory), None)
    stamp = []
    for path in entries:
        try:
            stamp.append((path.name, path.stat().st_mtime_ns, path.stat().st_size))
        except OSError:
            stamp.append((path.name, None, None))
    return (str(directory.resolve()), tuple(stamp))


def load_directory(directory: str | Path) -> PlanSet:
    """Load and validate every ``*.yaml`` in ``directory``; one :class:`PlanError` lists every problem
    (a file's own errors prefixed with its name, two base plans for one city and year, an amendment
    of an unknown base)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PlanError([PlanIssue("", f"找不到方案目录（plans directory not found）：{directory}")],
                        source=str(directory))
    issues: list[PlanIssue] = []
    plans: list[Plan] = []
    files: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            plan = load_plan(path)
        except PlanError as exc:
            issues += [PlanIssue(f"{path.name}: {i.path}" if i.path else path.name, i.message, i.line, i.column)
                       for i in exc.errors]
            continue
        if plan.meta.id in files:
            issues.append(PlanIssue(f"{path.name}: meta.id", f"方案编号 {plan.meta.id} 与 {files[plan.meta.id].name} 重复"))
            continue
        plans.append(plan)
        files[plan.meta.id] = path
    issues += _set_issues(plans, files)
    if not plans and not issues:
        issues.append(PlanIssue("", f"方案目录中没有方案文件（no *.yaml in {directory}）"))
    if issues:
        raise PlanError(issues, source=str(directory))
    plans.sort(key=lambda p: (p.meta.city, p.meta.year, p.meta.effective or dt.date.min))
    return PlanSet(directory=directory, plans=tuple(plans), files=files)


def _set_issues(plans: list[Plan], files: dict[str, Path]) -> list[PlanIssue]:
    issues: list[PlanIssue] = []
    seen: dict[tuple[str, int], Plan] = {}
    by_id = {p.meta.id: p for p in plans}
    for plan in plans:
        meta, name = plan.meta, files[plan.meta.id].name
        if meta.amends:
            base = by_id.get(meta.amends)
            if base is None or base.meta.amends:
                issues.append(PlanIssue(f"{name}: meta.amends", f"所修订的基础方案 {meta.amends} 不在方案目录中"))
            elif (base.meta.city, base.meta.year) != (meta.city, meta.year):
                issues.append(PlanIssue(f"{name}: meta.amends",
                                        f"修订方案应与基础方案同城同年（基础方案为 {base.meta.city}{base.meta.year}年）"))
            continue
        key = (meta.city, meta.year)
        if key in seen:
            issues.append(PlanIssue(f"{name}: meta", f"{meta.city}{meta.year}年已有基础方案 "
                                    f"{files[seen[key].meta.id].name}：每个城市每年只能有一个基础方案"
                                    "（修订请用 meta.amends 与 meta.effective）"))
            continue
        seen[key] = plan
    return issues


def plans() -> PlanSet:
    """The plans of ``settings.TUIJIN_PLANS_DIR`` (cached until a file there changes)."""
    from django.conf import settings

    directory = Path(settings.TUIJIN_PLANS_DIR)
    key = _fingerprint(directory)
    with _lock:
        if _cache.get("key") != key:
            _cache.clear()
            loaded = load_directory(directory)  # raises before anything is cached
            _cache.update(key=key, plans=loaded)
        return _cache["plans"]  # type: ignore[return-value]


def city() -> str:
    """The platform's city (``meta.city``): ``TUIJIN_CITY``, or the only city in the directory."""
    from django.conf import settings

    found = plans()
    wanted = str(getattr(settings, "TUIJIN_CITY", "") or "").strip()
    if wanted:
        match = found.of_city(wanted)
        if not match:
            raise PlanError([PlanIssue("TUIJIN_CITY", f"方案目录中没有城市“{wanted}”的方案"
                                       f"（有：{'、'.join(found.cities())}）")], source=str(found.directory))
        return match[0].meta.city
    cities = found.cities()
    if len(cities) > 1:
        raise PlanError([PlanIssue("TUIJIN_CITY", f"方案目录中有多个城市（{'、'.join(cities)}）：请设置 TUIJIN_CITY")],
                        source=str(found.directory))
    return cities[0]



def plan_years() -> list[int]:
    """The years the platform city has a base plan for, ascending."""
    return plans().years(city())


def plan_for(year: int, *, on: dt.date | None = None) -> Plan:
    """The plan governing ``year`` (the amendment in force ``on`` a date, when given); a year without a
    plan is refused with :class:`tuijin.toolkit.errors.NotFound` naming the years that have one."""
    found, name = plans(), city()
    base = found.base(name, int(year))
    if base is None:
        from tuijin.toolkit.errors import NotFound

        years = "、".join(str(y) for y in found.years(name))
        raise NotFound(f"{name}没有 {year} 年的方案文件（已有：{years}年）", field="year")
    if on is None:
        return base
    chosen = base
    for amendment in found.amendments(name, int(year)):
        if amendment.meta.effective and amendment.meta.effective <= on:
            chosen = amendment
    return chosen


def plan_for_period(code: str) -> Plan:
    """The plan of a reporting period ``YYYY-MM`` (its year's plan, amended as of the month's end)."""
    from tuijin.toolkit.periods import month_end, parse_period

    year, month = parse_period(code)
    return plan_for(year, on=month_end(year, month))


def statistics_calendar(year: int) -> StatisticsCalendarRule | None:
    """The statistics months of ``year``'s plan (``rules.statistics_calendar``, defaulted), or None for a
    year without a plan (earlier baselines): every month then, no streak carried into it. The calendar
    :mod:`tuijin.toolkit.statistics_months` takes as ``calendar_of``."""
    found, name = plans(), city()
    base = found.base(name, int(year))
    return None if base is None else base.statistics_calendar


def plan_for_quarter(code: str) -> Plan:
    from tuijin.toolkit.periods import parse_quarter, quarter_end

    year, quarter = parse_quarter(code)
    return plan_for(year, on=quarter_end(year, quarter))


def plan_on(day: dt.date) -> Plan:
    """The plan governing ``day``: its year's plan as amended on that day. A year without a plan file (a
    baseline year reported before the first plan, one whose plan is not issued yet) takes the nearest
    earlier plan's rules, else the first plan's: it has days to run on, but no targets of its own."""
    years = plan_years()
    if day.year in years:
        return plan_for(day.year, on=day)
    earlier = [y for y in years if y < day.year]
    return plan_for(earlier[-1] if earlier else years[0])


def plan_of_month(year: int, month: int) -> Plan:
    """The plan governing the month ``year``-``month`` (as amended at the month's end; see :func:`plan_on`)."""
    from tuijin.toolkit.periods import month_end

    return plan_on(month_end(year, month))


def default_year() -> int:
    """The year pages and commands default to: the clock's year when it has a plan, else the latest
    planned year before it (else the first planned year)."""
    from tuijin.toolkit import clock

    today_year = clock.today().year
    years = plan_years()
    if today_year in years:
        return today_year
    earlier = [y for y in years if y < today_year]
    return earlier[-1] if earlier else years[0]


def current_plan() -> Plan:
    """The plan of :func:`default_year`, amended as of the clock's today when that is in its year."""
    from tuijin.toolkit import clock

    year = default_year()
    today = clock.today()
    return plan_for(year, on=today if today.year == year else None)


def latest_plan() -> Plan:
    """The platform city's latest base plan (no clock, no database: start-up checks, the page footer's
    fallback)."""
    return plan_for(plan_years()[-1])


def reset_plans() -> None:
    """Forget the cached plans; the next reading loads the directory again."""
    with _lock:
        _cache.clear()


