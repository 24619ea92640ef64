"""Pure generation of the demo data set: plan facts in, users and projects out.

No ORM and no clock: the same facts and seed give the same data, field for field.
Each aspect draws from its own random stream (``Random(f"{seed}:{aspect}")``) so
that changing one aspect does not reshuffle the others.

Scale: the numbers the plan gives (900 key projects with 4,670亿 of 2022 plans,
874 "982" projects, 2,216 reconstruction projects, 142 bond projects, 65 whitelist,
28 land-support …) are read from the plan's targets and hit exactly at the full
demo size (:data:`DEMO_PROJECTS`); a smaller ``projects`` count scales them down.
Shares the plan does not give (stages, REITs, promotion …) are the demo's own.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from stdnum.cn import uscc as stdnum_uscc

from . import vocabulary as V

DEMO_SEED = 2022
#: The full demo size: the plan's counts are met exactly at this size.
DEMO_PROJECTS = 5000
#: The demo's "today": every actual date, approval and stage move lies before it
#: (monthly progress runs 2021-01 … 2022-07, reported in early July 2022).
DEMO_AS_OF = dt.date(2022, 7, 1)
#: The business date the demo runs at (the clock): mid-July 2022, while June's figures are reviewed.
DEMO_BUSINESS_DATE = dt.date(2022, 7, 15)
#: The demo's year: its plan is ``plan_for(DEMO_YEAR)`` (:func:`demo_plan`), whatever other years the
#: plans directory holds.
DEMO_YEAR = DEMO_BUSINESS_DATE.year
DEMO_PASSWORD = "Tuijin@2022!"
DEMO_TZ = ZoneInfo("Asia/Shanghai")
#: Org code of the city itself (``tuijin.orgs.services.CITY_CODE``).
CITY_ORG = "city"

LAST_DAY = DEMO_AS_OF - dt.timedelta(days=1)
#: The 2021 Zhengzhou flood ("7·20"); reconstruction projects start after it.
FLOOD_DAY = dt.date(2021, 7, 20)
EARLIEST_CODE_DAY = dt.date(2019, 1, 2)

RESERVE, READY, CONSTRUCTION, COMPLETED, CANCELLED = "reserve", "ready", "construction", "completed", "cancelled"
STARTED = (CONSTRUCTION, COMPLETED)

# The demo's own proportions (the plan does not give them).
STAGE_SHARES = {RESERVE: 0.25, READY: 0.15, CONSTRUCTION: 0.50, COMPLETED: 0.10}
KEY_STAGE_SHARES = {CONSTRUCTION: 0.72, READY: 0.22, COMPLETED: 0.06}
PER_FULL_SIZE = {  # counts at DEMO_PROJECTS, scaled with the demo size
    "cancelled": 20,
    "key_extra": 50,  # key projects above the plan's minimum (900 → 950)
    "provincial_key": 250,
    "reits": 12,
    "promotion": 150,
    "green_channel": 24,
}
STATISTICS_GAP_SHARE = 0.03  # started projects left out of the statistics (应入未入)

#: tag → plan target giving its exact count
TAG_TARGETS = {
    "shortfall_982": "shortfall_982_projects",
    "reconstruction": "reconstruction_projects",
    "special_bond": "bond_projects",
    "whitelist": "whitelist_projects",
    "land_support": "land_support_projects",
}
KEY_TAGS = ("provincial_key", "city_key")

T = TypeVar("T")


# --- plan facts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFacts:
    code: str
    name: str
    short_name: str
    kind: str
    division_code: str  # "" when the unit has none (郑东新区)
    lon: float
    lat: float


@dataclass(frozen=True)
class ApprovalFacts:
    code: str
    name: str
    department: str


@dataclass(frozen=True)
class PlanFacts:
    """What the generator needs from the plan, as plain data (tests build it by hand)."""

    year: int
    city: str
    units: tuple[UnitFacts, ...]
    departments: tuple[tuple[str, str], ...]  # (code, name)
    fields: tuple[str, ...]
    categories: tuple[str, ...]
    leading_industries: tuple[str, ...]
    targets: dict[str, Decimal]
    approvals: dict[str, tuple[ApprovalFacts, ...]]  # category → required items, in order
    reconstruction_kinds: tuple[str, ...] = ()
    statistics_threshold_wan: Decimal = Decimal("500")

    def target(self, name: str, default: Decimal | int = 0) -> Decimal:
        return Decimal(self.targets.get(name, default))

    @property
    def department_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _name in self.departments)

    @property
    def city_division(self) -> str:
        """The city's own division code (``410100``), for units without one."""
        prefixes = Counter(u.division_code[:4] for u in self.units if u.division_code)
        return prefixes.most_common(1)[0][0] + "00" if prefixes else "410100"

    def unit(self, code: str) -> UnitFacts:
        for unit in self.units:
            if unit.code == code:
                return unit
        raise KeyError(code)


def facts_from_plan(plan: Any) -> PlanFacts:
    """Read a loaded :class:`tuijin.plan.Plan` into :class:`PlanFacts`."""
    catalogue = plan.rules.approval_catalogue
    approvals = {
        category.code: tuple(ApprovalFacts(i.code, i.name, i.department) for i in catalogue.items_for(category.code))
        for category in plan.categories
        if category.code in catalogue.required
    }
    return PlanFacts(
        year=plan.meta.year,
        city=plan.meta.city,
        units=tuple(
            UnitFacts(u.code, u.name, u.short_name, u.kind, u.division_code or "", float(u.centre[0]), float(u.centre[1]))
            for u in plan.units
        ),
        departments=tuple((d.code, d.name) for d in plan.departments),
        fields=tuple(f.code for f in plan.fields),
        categories=tuple(c.code for c in plan.categories),
        leading_industries=tuple(i.code for i in plan.leading_industries),
        targets={name: Decimal(t.value) for name, t in plan.targets.items()},
        approvals=approvals,
        reconstruction_kinds=tuple(plan.rules.reconstruction_categories.codes()),
        statistics_threshold_wan=Decimal(plan.rules.statistics_inclusion.threshold_wan),
    )


# --- generated records -------------------------------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    username: str
    full_name: str
    org_code: str
    roles: tuple[str, ...]
    phone: str = ""


@dataclass(frozen=True)
class ApprovalSpec:
    code: str
    name: str
    department_code: str
    status: str  # pending / in_progress / done
    due_date: dt.date | None
    approved_on: dt.date | None


@dataclass(frozen=True)
class StageMoveSpec:
    from_stage: str
    to_stage: str
    at: dt.datetime
    actor: str  # username
    reason: str


@dataclass
class ProjectSpec:
    """One project as generated. Money in whole 万元 (the loader stores yuan)."""

    ref: int  # position in the generated list; later steps refer to projects by it
    unit_code: str
    subject: str
    category: str
    field: str
    nature: str
    investment_type: str
    total_investment_wan: int = 0
    reconstruction_kind: str = ""
    leading_industry: str = ""
    product: str = ""
    industry_code: str = ""
    flagship: bool = False
    name: str = ""
    project_code: str | None = None
    stage: str = RESERVE
    tags: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    owner_name: str = ""
    owner_uscc: str = ""
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    registered_on: dt.date = DEMO_AS_OF  # entered the library (and got its code, when it has one)
    ready_on: dt.date | None = None
    cancelled_on: dt.date | None = None
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    content: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    leader: str = ""
    in_statistics: bool = False
    statistics_date: dt.date | None = None
    green_channel: bool = False
    green_channel_reason: str = ""
    annual_plans: tuple[tuple[int, int], ...] = ()  # (year, 万元)
    approvals: tuple[ApprovalSpec, ...] = ()
    moves: tuple[StageMoveSpec, ...] = ()

    @property
    def is_key(self) -> bool:
        return any(t in KEY_TAGS for t in self.tags)

    def plan_for(self, year: int) -> int:
        return dict(self.annual_plans).get(year, 0)

    @property
    def created_at(self) -> dt.datetime:
        return dt.datetime.combine(self.registered_on, dt.time(9, 30), tzinfo=DEMO_TZ)

    @property
    def updated_at(self) -> dt.datetime:
        return self.moves[-1].at if self.moves else self.created_at


@dataclass(frozen=True)
class DemoData:
    """The core of the demo: accounts and the project library."""

    seed: int
    users: tuple[UserSpec, ...]
    projects: tuple[ProjectSpec, ...]


# --- helpers -----------------------------------------------------------------------------------


def demo_plan() -> Any:
    """The plan the demo is generated from: its year's (:data:`DEMO_YEAR`), as amended at its business date."""
    from tuijin.plan import plan_for

    return plan_for(DEMO_YEAR, on=DEMO_BUSINESS_DATE)


def rng_for(seed: int, aspect: str) -> random.Random:
    """An independent, reproducible random stream for one aspect of the demo."""
    return random.Random(f"{seed}:{aspect}")


def scaled(count: int | Decimal, projects: int) -> int:
    """A full-size count scaled to a demo of ``projects`` projects."""
    if projects == DEMO_PROJECTS:
        return int(count)
    return int(round(float(count) * projects / DEMO_PROJECTS))


def apportion(total: int, weights: Sequence[tuple[T, float]]) -> list[T]:
    """``total`` items spread over keys in proportion to weights (largest remainder), as a list."""
    weight_sum = sum(w for _k, w in weights) or 1.0
    quotas = [(key, total * w / weight_sum) for key, w in weights]
    counts = {key: int(q) for key, q in quotas}
    rest = total - sum(counts.values())
    for key, _q in sorted(quotas, key=lambda kq: kq[1] - int(kq[1]), reverse=True)[:rest]:
        counts[key] += 1
    return [key for key, _w in weights for _ in range(counts[key])]


def weighted_choice(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options], k=1)[0]


def pick_weighted(rng: random.Random, candidates: Sequence[T], count: int, weight: Callable[[T], float]) -> list[T]:
    """``count`` distinct candidates, likelier the heavier (Efraimidis–Spirakis); all if too few."""
    keyed = []
    for c in candidates:
        w = max(weight(c), 1e-9)
        keyed.append((rng.random() ** (1.0 / w), c))
    keyed.sort(key=lambda kc: kc[0], reverse=True)
    return [c for _k, c in keyed[:count]]


def randint(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint`` at a third of its cost (the demo draws a few hundred thousand)."""
    return low + int(rng.random() * (high - low + 1))


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=randint(rng, 0, (last - first).days))


def moment(rng: random.Random, day: dt.date) -> dt.datetime:
    """A time in office hours on ``day``."""
    return dt.datetime.combine(day, dt.time(randint(rng, 8, 17), randint(rng, 0, 59)), tzinfo=DEMO_TZ)


def add_months(day: dt.date, months: float) -> dt.date:
    return day + dt.timedelta(days=round(months * 30.44))


def round_wan(value: float) -> int:
    """Round an amount (万元) to the precision people type: 1 / 10 / 100 / 1000 万元."""
    if value < 1000:
        step = 1
    elif value < 10_000:
        step = 10
    elif value < 100_000:
        step = 100
    else:
        step = 1000
    return max(step, int(round(value / step)) * step)


def person_name(rng: random.Random) -> str:
    given = rng.choice(V.GIVEN_CHARS) + (rng.choice(V.GIVEN_CHARS) if rng.random() < 0.75 else "")
    return rng.choice(V.SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18", "17")) + str(rng.randint(0, 9)) + f"{rng.randint(0, 99_999_999):08d}"


def landline(rng: random.Random) -> str:
    return f"0371-6{rng.randint(0, 9_999_999):07d}"


# --- codes -------------------------------------------------------------------------------------

_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def organisation_code(body: str) -> str:
    """An 8-character organisation code body plus its GB 11714 check character."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(rng: random.Random, prefix: str, division: str) -> str:
    """A 统一社会信用代码 (GB 32100) that ``stdnum.cn.uscc.validate`` accepts.

    ``prefix``: registration authority and type (91 company, 11 government organ,
    12 public institution); ``division``: 6-digit division code of registration.
    Companies registered since 2015 mostly carry ``MA…`` organisation codes.
    """
    if prefix.startswith("9") and rng.random() < 0.6:
        body = "MA" + "".join(rng.choice(_USCC_ALPHABET[:-1]) for _ in range(6))
    else:
        body = f"{rng.randint(10_000_000, 99_999_999)}"
    first17 = prefix + division + organisation_code(body)[:9]
    return first17 + stdnum_uscc.calc_check_digit(first17)


# --- users -------------------------------------------------------------------------------------


def generate_users(facts: PlanFacts, seed: int = DEMO_SEED) -> tuple[UserSpec, ...]:
    """The demo accounts (DESIGN §7): city, administrators, supervision, departments, units."""
    rng = rng_for(seed, "users")
    taken: set[str] = set(V.ACCOUNT_NAMES.values())

    def name_for(username: str) -> str:
        if username in V.ACCOUNT_NAMES:
            return V.ACCOUNT_NAMES[username]
        while True:
            name = person_name(rng)
            if name not in taken:
                taken.add(name)
                return name

    departments = facts.department_codes
    admin_org = "fgw" if "fgw" in departments else CITY_ORG
    supervision_org = "dcs" if "dcs" in departments else CITY_ORG
    wanted: list[tuple[str, str, tuple[str, ...]]] = [
        ("fgw", admin_org, ("city_admin",)),
        ("leader", CITY_ORG, ("leader",)),
        ("sysadmin", admin_org, ("sysadmin",)),
        ("secadmin", admin_org, ("secadmin",)),
        ("auditor", admin_org, ("auditor",)),
        ("dcs", supervision_org, ("supervision",)),
    ]
    wanted += [(code, code, ("department",)) for code in departments if code not in ("fgw", "dcs")]
    wanted += [(unit.code, unit.code, ("unit",)) for unit in facts.units]
    return tuple(UserSpec(username, name_for(username), org, roles, landline(rng)) for username, org, roles in wanted)


# --- projects ----------------------------------------------------------------------------------


class ProjectGenerator:
    """Builds the project library in passes; each pass fills some fields of every project."""

    def __init__(self, facts: PlanFacts, *, seed: int, projects: int) -> None:
        if projects < 1:
            raise ValueError("projects must be positive")
        self.facts = facts
        self.seed = seed
        self.n = projects
        self.subjects = {s.key: s for s in (*V.SUBJECTS, *V.FLAGSHIP_SUBJECTS)}
        self.units = {u.code: u for u in facts.units}
        self.projects: list[ProjectSpec] = []
        self._choices: dict[str, list[tuple[V.Subject, float]]] = {}

    def rng(self, aspect: str) -> random.Random:
        return rng_for(self.seed, aspect)

    def count(self, key: str) -> int:
        return scaled(PER_FULL_SIZE[key], self.n)

    def target_count(self, target: str) -> int:
        return scaled(self.facts.target(target), self.n)

    def run(self) -> tuple[ProjectSpec, ...]:
        self._skeleton()
        self._totals()
        self._key_projects()
        self._stages()
        self._dates()
        self._codes()
        self._tags()
        self._annual_plans()
        self._texts()
        self._green_channel()
        self._approvals_and_moves()
        self._statistics()
        return tuple(self.projects)

    # -- who and what ------------------------------------------------------------------------

    def _subject_choices(self, category: str) -> list[tuple[V.Subject, float]]:
        if category not in self._choices:
            self._choices[category] = [(s, s.weight) for s in V.SUBJECTS
                                       if s.category == category and not s.reconstruction_kind and s.weight > 0]
        return self._choices[category]

    def _field_for(self, rng: random.Random, subject: V.Subject) -> str:
        options = [(f, w) for f, w in subject.fields if f in self.facts.fields]
        return weighted_choice(rng, options) if options else self.facts.fields[0]

    def _new(self, rng: random.Random, unit: str, subject: V.Subject) -> ProjectSpec:
        government = rng.random() < subject.government_share
        project = ProjectSpec(
            ref=-1, unit_code=unit, subject=subject.key, category=subject.category,
            field=self._field_for(rng, subject), nature=weighted_choice(rng, subject.natures),
            investment_type="government" if government else "enterprise",
            reconstruction_kind=subject.reconstruction_kind,
        )
        if subject.uses_product:
            industries = [(i, w) for i, w in V.INDUSTRY_PROFILES.get(unit, {}).items()
                          if i in self.facts.leading_industries]
            if subject.category == "industrial" and self.facts.leading_industries and rng.random() < 0.85:
                if not industries or rng.random() < 0.25:
                    industries = [(i, 1.0) for i in self.facts.leading_industries]
                project.leading_industry = weighted_choice(rng, industries)
            products, _word, codes = V.INDUSTRY_PRODUCTS.get(project.leading_industry, V.GENERIC_PRODUCTS)
            project.product = rng.choice(products)
            project.industry_code = rng.choice(codes) if not subject.industry else rng.choice(subject.industry)
        else:
            project.industry_code = rng.choice(subject.industry)
        return project

    def _skeleton(self) -> None:
        rng = self.rng("skeleton")
        flagships = [f for f in V.FLAGSHIPS if f.unit in self.units and self.subjects[f.subject].category
                     in self.facts.categories and f.field in self.facts.fields][: self.n]
        fixed: list[ProjectSpec] = []
        for f in flagships:
            subject = self.subjects[f.subject]
            fixed.append(ProjectSpec(
                ref=-1, unit_code=f.unit, subject=subject.key, category=subject.category, field=f.field,
                nature="new", investment_type=f.investment_type, total_investment_wan=f.total_wan,
                reconstruction_kind=subject.reconstruction_kind,
                leading_industry=f.leading_industry if f.leading_industry in self.facts.leading_industries else "",
                product=f.product, industry_code=f.industry, flagship=True, name=f.name, stage=f.stage,
                tags=f.tags,
            ))
        rest = self.n - len(fixed)
        reconstruction = 0
        if self.facts.reconstruction_kinds:
            already = sum("reconstruction" in p.tags for p in fixed)
            reconstruction = min(rest, max(0, self.target_count(TAG_TARGETS["reconstruction"]) - already))
        drafts: list[ProjectSpec] = []

        # Post-flood reconstruction (二(二)7): the reservoirs are counted by the plan.
        kinds = [k for k in V.RECONSTRUCTION_KIND_WEIGHTS if k in self.facts.reconstruction_kinds]
        reservoirs = 0
        if "reservoir" in self.facts.reconstruction_kinds:
            reservoirs = min(reconstruction, self.target_count("reconstruction_reservoirs"))
        recon_units = apportion(reconstruction, [(u, V.RECONSTRUCTION_WEIGHTS.get(u, 5.0)) for u in self.units])
        rng.shuffle(recon_units)
        for i, unit in enumerate(recon_units):
            if i < reservoirs or not kinds:
                kind = "reservoir"
            else:
                kind = weighted_choice(rng, [(k, V.RECONSTRUCTION_KIND_WEIGHTS[k]) for k in kinds])
            subject = self.subjects[f"rc_{kind}"]
            if subject.category not in self.facts.categories:
                subject = self.subjects["rc_river"]
            drafts.append(self._new(rng, unit, subject))

        # Regular projects, by unit and that unit's mix of categories.
        regular_units = apportion(rest - reconstruction, [(u, V.UNIT_WEIGHTS.get(u, 5.0)) for u in self.units])
        for unit in regular_units:
            profile = V.CATEGORY_PROFILES.get(unit, V.DEFAULT_CATEGORY_PROFILE)
            categories = [(c, w) for c, w in zip(V.CATEGORY_ORDER, profile, strict=True)
                          if c in self.facts.categories and self._subject_choices(c)]
            category = weighted_choice(rng, categories)
            drafts.append(self._new(rng, unit, weighted_choice(rng, self._subject_choices(category))))
        rng.shuffle(drafts)
        self.projects = fixed + drafts
        for ref, project in enumerate(self.projects):
            project.ref = ref

    def _totals(self) -> None:
        rng = self.rng("totals")
        for p in self.projects:
            if p.flagship:
                continue
            mean, sd = self.subjects[p.subject].size
            if p.nature == "renovation":
                mean -= 0.2
            log_total = min(max(rng.gauss(mean, sd), 2.3), 6.55)
            p.total_investment_wan = round_wan(10 ** log_total)

    def _key_projects(self) -> None:
        """Key projects (省市重点, 二(二)5): mostly the biggest, a few smaller ones."""
        rng = self.rng("key")
        wanted = self.target_count("key_projects") + self.count("key_extra")
        provincial = self.count("provincial_key")
        fixed = [p for p in self.projects if p.is_key]
        pool = [p for p in self.projects if not p.flagship]

        def score(p: ProjectSpec) -> float:
            penalty = 0.45 if p.reconstruction_kind else 0.3 if p.category == "real_estate" else 0.0
            return math.log10(p.total_investment_wan) - penalty + rng.gauss(0, 0.25)

        ranked = sorted(pool, key=lambda p: (score(p), -p.ref), reverse=True)[: max(0, wanted - len(fixed))]
        provincial_left = max(0, provincial - sum("provincial_key" in p.tags for p in fixed))
        by_size = sorted(ranked, key=lambda p: (p.total_investment_wan * rng.uniform(0.5, 1.5), -p.ref), reverse=True)
        for i, p in enumerate(by_size):
            p.tags = (*p.tags, "provincial_key" if i < provincial_left else "city_key")

    # -- where in the lifecycle --------------------------------------------------------------

    def _stages(self) -> None:
        rng = self.rng("stages")
        n = self.n
        counts = {stage: int(round(share * n)) for stage, share in STAGE_SHARES.items()}
        counts[CONSTRUCTION] += n - sum(counts.values())
        cancelled = self.count("cancelled") if n >= 100 else 0
        counts[RESERVE] -= cancelled
        counts[CANCELLED] = cancelled
        for p in self.projects:
            if p.flagship:
                counts[p.stage] -= 1

        keys = [p for p in self.projects if p.is_key and not p.flagship]
        rng.shuffle(keys)
        key_counts = {stage: min(counts[stage], int(round(share * len(keys))))
                      for stage, share in KEY_STAGE_SHARES.items()}
        key_counts[CONSTRUCTION] = min(counts[CONSTRUCTION], len(keys) - key_counts[READY] - key_counts[COMPLETED])
        position = 0
        for stage in (CONSTRUCTION, READY, COMPLETED):
            for p in keys[position: position + key_counts[stage]]:
                p.stage = stage
            position += key_counts[stage]
            counts[stage] -= key_counts[stage]
        for p in keys[position:]:  # only when the stage counts ran out (tiny demos)
            p.stage = CONSTRUCTION
            counts[CONSTRUCTION] -= 1

        # The rest: reconstruction projects are further along (the flood was a year ago).
        rest = [p for p in self.projects if not p.flagship and not p.is_key]
        maturity = {p.ref: rng.random() + (0.45 if p.reconstruction_kind else 0.0) for p in rest}
        rest.sort(key=lambda p: maturity[p.ref], reverse=True)
        started_count = max(0, counts[CONSTRUCTION]) + max(0, counts[COMPLETED])
        started, rest = rest[:started_count], rest[started_count:]
        finish = {p.ref: rng.random() + (0.2 if p.reconstruction_kind else 0.0)
                  - 0.08 * math.log10(p.total_investment_wan) for p in started}
        started.sort(key=lambda p: finish[p.ref], reverse=True)
        for i, p in enumerate(started):
            p.stage = COMPLETED if i < max(0, counts[COMPLETED]) else CONSTRUCTION
        ready = max(0, counts[READY])
        for i, p in enumerate(rest):
            p.stage = READY if i < ready else RESERVE
        # Cancelled projects leave the reserve (a third of them had reached the ready library).
        reserve = [p for p in rest if p.stage == RESERVE and not p.reconstruction_kind]
        for p in rng.sample(reserve, min(cancelled, len(reserve))):
            p.stage = CANCELLED
            p.ready_on = DEMO_AS_OF if rng.random() < 0.3 else None  # the dates pass sets the real day

    def _duration_months(self, rng: random.Random, p: ProjectSpec) -> float:
        size = math.log10(max(p.total_investment_wan, 10))
        if p.reconstruction_kind:
            return min(max(3 + 4 * (size - 2.5) + rng.gauss(0, 2), 3), 30)
        return min(max(10 + 9 * (size - 3) + rng.gauss(0, 3), 6), 66)

    def _dates(self) -> None:
        rng = self.rng("dates")
        for p in self.projects:
            earliest = dt.date(2021, 8, 1) if p.reconstruction_kind else EARLIEST_CODE_DAY
            months = self._duration_months(rng, p)
            if p.stage in STARTED:
                self._started_dates(rng, p, earliest, months)
            elif p.stage == READY:
                p.registered_on = day_between(rng, max(earliest, dt.date(2020, 6, 1)), dt.date(2022, 5, 31))
                p.ready_on = day_between(rng, p.registered_on + dt.timedelta(days=20), LAST_DAY - dt.timedelta(days=3))
                if rng.random() < 0.2:  # should have started by now (拟开工 but lagging)
                    p.planned_start = day_between(rng, max(p.ready_on, dt.date(2022, 3, 1)), LAST_DAY)
                else:
                    p.planned_start = day_between(rng, dt.date(2022, 7, 5), dt.date(2022, 12, 20))
                p.planned_end = add_months(p.planned_start, months)
            elif p.stage == RESERVE:
                p.registered_on = day_between(rng, max(earliest, dt.date(2020, 9, 1)), LAST_DAY - dt.timedelta(days=2))
                p.planned_start = day_between(rng, dt.date(2022, 9, 1), dt.date(2024, 6, 30))
                p.planned_end = add_months(p.planned_start, months)
            else:  # cancelled, from the reserve or the ready library
                p.registered_on = day_between(rng, max(earliest, dt.date(2020, 6, 1)), dt.date(2022, 3, 31))
                since = p.registered_on
                if p.ready_on is not None:
                    p.ready_on = day_between(rng, p.registered_on + dt.timedelta(days=20), dt.date(2022, 4, 30))
                    since = p.ready_on
                p.cancelled_on = day_between(rng, since + dt.timedelta(days=30), LAST_DAY - dt.timedelta(days=1))
                p.planned_start = day_between(rng, since + dt.timedelta(days=60), dt.date(2023, 6, 30))
                p.planned_end = add_months(p.planned_start, months)

    def _started_dates(self, rng: random.Random, p: ProjectSpec, earliest: dt.date, months: float) -> None:
        latest_start = dt.date(2022, 6, 20)
        if p.stage == COMPLETED:
            if p.reconstruction_kind:
                end = day_between(rng, dt.date(2021, 10, 15), dt.date(2022, 6, 25))
            elif p.is_key:
                end = day_between(rng, dt.date(2022, 1, 5), dt.date(2022, 6, 25))
            else:  # the library keeps what finished since the 2021 plans (so each has an annual plan)
                end = day_between(rng, dt.date(2021, 1, 5), dt.date(2022, 6, 25))
            start = end - dt.timedelta(days=round(months * 30.44 * rng.uniform(0.8, 1.2)))
            floor = max(earliest + dt.timedelta(days=15), dt.date(2019, 3, 1))
            if start < floor:
                start = day_between(rng, floor, max(floor, end - dt.timedelta(days=75)))
            p.actual_start, p.actual_end = start, end
        else:
            if p.reconstruction_kind:
                start = day_between(rng, dt.date(2021, 9, 1), latest_start)
            else:
                year = weighted_choice(rng, [(2019, 0.12), (2020, 0.22), (2021, 0.36), (2022, 0.30)]
                                       if not p.is_key else [(2019, 0.2), (2020, 0.3), (2021, 0.38), (2022, 0.12)])
                start = day_between(rng, max(dt.date(year, 1, 1), dt.date(2019, 3, 1)),
                                    min(dt.date(year, 12, 28), latest_start))
            p.actual_start = start
        lead = dt.timedelta(days=rng.randint(45, 420) if not p.reconstruction_kind else rng.randint(10, 60))
        p.registered_on = min(max(earliest, start - lead), start - dt.timedelta(days=5))
        gap = (start - p.registered_on).days
        p.ready_on = p.registered_on + dt.timedelta(days=rng.randint(gap // 3, max(gap // 3, gap - 1)))
        p.planned_start = p.registered_on + dt.timedelta(days=rng.randint(gap // 2, gap))
        p.planned_end = add_months(p.planned_start, months * rng.uniform(0.85, 1.1))

    def _codes(self) -> None:
        """National project codes ``YYYY-AAAAAA-BB-CC-NNNNNN``, serials rising with the date."""
        rng = self.rng("codes")
        serials: dict[tuple[int, str], int] = {}
        for p in sorted(self.projects, key=lambda p: (p.registered_on, p.ref)):
            if p.stage == RESERVE and rng.random() < 0.5:
                continue
            if p.stage == CANCELLED and p.ready_on is None and rng.random() < 0.6:
                continue
            division = self.units[p.unit_code].division_code or self.facts.city_division
            year = p.registered_on.year
            key = (year, division)
            serials[key] = serials.get(key, rng.randint(100, 4000)) + rng.randint(1, 37)
            if p.investment_type == "government":
                kind = "01"  # 审批
            elif p.total_investment_wan >= 100_000 and p.category in ("industrial", "infrastructure") \
                    and rng.random() < 0.3:
                kind = "02"  # 核准
            else:
                kind = "03"  # 备案
            p.project_code = f"{year}-{division}-{p.industry_code}-{kind}-{serials[key]:06d}"

    # -- programmes --------------------------------------------------------------------------

    def _tag(self, rng: random.Random, tag: str, count: int, eligible: Callable[[ProjectSpec], bool],
             weight: Callable[[ProjectSpec], float]) -> None:
        """Give ``tag`` to exactly ``count`` projects (those already tagged included)."""
        have = [p for p in self.projects if tag in p.tags]
        need = count - len(have)
        if need <= 0:
            return
        candidates = [p for p in self.projects if tag not in p.tags and p.stage != CANCELLED and eligible(p)]
        chosen = pick_weighted(rng, candidates, need, weight)
        if len(chosen) < need:  # too few fit: take the nearest others
            others = [p for p in self.projects if tag not in p.tags and p.stage != CANCELLED and p not in chosen]
            chosen += pick_weighted(rng, others, need - len(chosen), weight)
        for p in chosen:
            p.tags = (*p.tags, tag)

    def _tags(self) -> None:
        rng = self.rng("tags")
        for p in self.projects:
            if p.reconstruction_kind and "reconstruction" not in p.tags:
                p.tags = (*p.tags, "reconstruction")

        def size(p: ProjectSpec) -> float:
            return math.log10(p.total_investment_wan)

        # 补短板“982”工程 (二(二)5): infrastructure, ecology and livelihood projects of this year.
        self._tag(rng, "shortfall_982", self.target_count(TAG_TARGETS["shortfall_982"]),
                  lambda p: self._in_2022_programme(p) and p.category in ("infrastructure", "social", "other")
                  and p.subject not in ("commercial", "tech_services"),
                  lambda p: size(p) ** 2 * (7 if p.is_key else 1))
        # 专项债券 (二(二)8): government projects, mid-sized, started or about to.
        self._tag(rng, "special_bond", self.target_count(TAG_TARGETS["special_bond"]),
                  lambda p: p.investment_type == "government" and p.stage in (READY, CONSTRUCTION)
                  and p.category != "real_estate" and 20_000 <= p.total_investment_wan <= 1_500_000,
                  lambda p: size(p))
        # 白名单, 用地保障 (二(五)13): key projects.
        for tag in ("whitelist", "land_support"):
            self._tag(rng, tag, self.target_count(TAG_TARGETS[tag]),
                      lambda p: p.is_key and p.stage in (READY, CONSTRUCTION), lambda p: size(p) ** 2)
        # 基础设施REITs (二(五)12): income-producing infrastructure.
        self._tag(rng, "reits", self.count("reits"),
                  lambda p: p.stage in STARTED and p.total_investment_wan >= 30_000
                  and p.subject in ("logistics", "ind_park", "water", "environment", "highway", "new_infra", "rental"),
                  lambda p: size(p))
        # 招商引资 (二(四)): signed deals that became projects.
        self._tag(rng, "promotion", self.count("promotion"),
                  lambda p: p.investment_type == "enterprise" and p.category in ("industrial", "other")
                  and p.nature == "new" and p.registered_on.year >= 2021,
                  lambda p: size(p))
        order = {t: i for i, t in enumerate(("provincial_key", "city_key", "shortfall_982", "reconstruction",
                                              "special_bond", "whitelist", "land_support", "reits", "promotion"))}
        for p in self.projects:
            p.tags = tuple(sorted(set(p.tags), key=lambda t: order.get(t, 99)))

    @staticmethod
    def _in_2022_programme(p: ProjectSpec) -> bool:
        """Whether the project has work planned in 2022 (so a 2022 annual plan)."""
        if p.stage in (READY, CONSTRUCTION):
            return True
        return p.stage == COMPLETED and p.actual_end is not None and p.actual_end.year >= 2022

    # -- money -------------------------------------------------------------------------------

    def _annual_plans(self) -> None:
        rng = self.rng("plans")
        for p in self.projects:
            plans = self._plans_for(rng, p)
            p.annual_plans = tuple(sorted((y, a) for y, a in plans.items() if a > 0))
        self._scale_2022(
            [p for p in self.projects if p.is_key],
            int(self.facts.target("key_project_investment") * 10_000 * self.n / DEMO_PROJECTS),
            exact=True,
        )
        shortfall = [p for p in self.projects if "shortfall_982" in p.tags]
        target = int(self.facts.target("shortfall_982_investment") * 10_000 * self.n / DEMO_PROJECTS)
        fixed = sum(p.plan_for(2022) for p in shortfall if p.is_key)
        self._scale_2022([p for p in shortfall if not p.is_key], target - fixed, exact=False)

    def _plans_for(self, rng: random.Random, p: ProjectSpec) -> dict[int, int]:
        total = p.total_investment_wan
        plans: dict[int, int] = {}
        if p.stage in STARTED:
            start = p.actual_start
            end = p.actual_end or max(p.planned_end or LAST_DAY, dt.date(2022, 12, 31))
            months = max((end - start).days / 30.44, 1.0)
            spent = 0.0
            for year in (2021, 2022):
                first, last = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
                if last < first:
                    continue
                share = ((last - first).days / 30.44) / months * rng.uniform(0.8, 1.15)
                amount = min(total * share, (total - spent) * 0.98)
                plans[year] = int(amount)
                spent += int(amount)
        elif p.stage == READY or (p.stage == CANCELLED and p.ready_on is not None):
            months = max(((p.planned_end - p.planned_start).days / 30.44), 1.0)
            this_year = max((dt.date(2022, 12, 31) - max(p.planned_start, DEMO_AS_OF)).days / 30.44, 2.0)
            plans[2022] = int(total * min(0.9, this_year / months * rng.uniform(0.6, 1.0)))
            plans[2022] = max(plans[2022], 1)
        return plans

    def _scale_2022(self, projects: list[ProjectSpec], target: int, *, exact: bool) -> None:
        """Scale the 2022 plans of ``projects`` to sum to ``target`` 万元, never above the total."""
        base = {p.ref: max(p.plan_for(2022), 1) for p in projects}
        cap = {p.ref: p.total_investment_wan - p.plan_for(2021) for p in projects}
        if not projects or target <= 0 or sum(cap.values()) <= 0:
            return
        clipped: dict[int, int] = {}
        free = dict(base)
        factor = 1.0
        for _ in range(30):
            if not free:
                break
            factor = (target - sum(clipped.values())) / sum(free.values())
            if not exact:
                factor = min(max(factor, 0.4), 3.0)
            over = [ref for ref, amount in free.items() if amount * factor > cap[ref]]
            if not over:
                break
            for ref in over:
                clipped[ref] = cap[ref]
                del free[ref]
        amounts = {**clipped, **{ref: max(1, int(amount * factor)) for ref, amount in free.items()}}
        if exact:
            residual = target - sum(amounts.values())
            for ref in sorted(amounts, key=lambda r: cap[r] - amounts[r], reverse=True):
                if residual == 0:
                    break
                step = max(min(residual, cap[ref] - amounts[ref]), 1 - amounts[ref])
                amounts[ref] += step
                residual -= step
        for p in projects:
            plans = dict(p.annual_plans)
            plans[2022] = amounts[p.ref]
            p.annual_plans = tuple(sorted(plans.items()))

    # -- words -------------------------------------------------------------------------------

    def _texts(self) -> None:
        rng = self.rng("texts")
        uscc_rng = self.rng("uscc")
        used_names: set[str] = {p.name for p in self.projects if p.name}
        usccs: dict[str, str] = {}
        taken_usccs: set[str] = set()
        departments = set(self.facts.department_codes)
        for p in self.projects:
            unit = self.units[p.unit_code]
            subject = self.subjects[p.subject]
            words = self._words(rng, p, unit)
            if not p.name:
                p.name = self._unique_name(rng, subject, words, used_names)
            p.owner_name, prefix = self._owner(rng, p, subject, unit, words)
            if p.owner_name not in usccs:
                while True:
                    code = make_uscc(uscc_rng, prefix, unit.division_code or self.facts.city_division)
                    if code not in taken_usccs:
                        break
                usccs[p.owner_name] = code
                taken_usccs.add(code)
            p.owner_uscc = usccs[p.owner_name]
            p.content = subject.content.format_map(words)
            p.address = self._address(rng, p, unit, words)
            spread = 0.03 if unit.kind == "zone" else 0.07 if unit.short_name[-1:] in ("市", "县") else 0.025
            p.lon = round(unit.lon + rng.gauss(0, spread), 6)
            p.lat = round(unit.lat + rng.gauss(0, spread * 0.8), 6)
            p.contact_name = person_name(rng)
            p.contact_phone = landline(rng) if p.investment_type == "government" else mobile(rng)
            depts = [d for d in subject.departments if d in departments]
            chosen = depts[:1] + ([depts[1]] if len(depts) > 1 and rng.random() < 0.4 else [])
            if p.is_key and len(chosen) < 2 and "zdxm" in departments and rng.random() < 0.3:
                chosen.append("zdxm")
            if not chosen and "fgw" in departments:
                chosen = ["fgw"]
            p.departments = tuple(chosen)
            if p.is_key:
                leaders = V.LEADERS_BY_CATEGORY["reconstruction" if p.reconstruction_kind else p.category]
                p.leader = V.CITY_LEADERS[rng.choice(leaders)]

    def _words(self, rng: random.Random, p: ProjectSpec, unit: UnitFacts) -> Words:
        return Words(rng, p, unit, self.subjects[p.subject])

    def _unique_name(self, rng: random.Random, subject: V.Subject, words: Words, used: set[str]) -> str:
        name = ""
        for _ in range(6):
            name = rng.choice(subject.patterns).format_map(words)
            if name not in used:
                used.add(name)
                return name
        stem, suffix = (name[:-2], name[-2:]) if name.endswith(("项目", "工程")) else (name, "")
        for n in range(2, 10_000):
            candidate = f"{stem}（{n}号地块）{suffix}" if "期" in stem else f"{stem}{_phase(n)}{suffix}"
            if candidate not in used:
                used.add(candidate)
                return candidate
        raise RuntimeError("no unique name")  # pragma: no cover

    def _owner(self, rng: random.Random, p: ProjectSpec, subject: V.Subject, unit: UnitFacts,
               words: Words) -> tuple[str, str]:
        if p.investment_type == "government":
            kinds = subject.owners or ("platform",)
            template, prefix = V.GOVERNMENT_OWNERS[rng.choice(kinds)]
            return template.format(unit=unit.short_name, unit_full=unit.name), prefix
        if p.category == "real_estate" and subject.key == "housing":
            return f"郑州{words['re_brand']}置业有限公司", "91"
        word = {
            "commercial": "商业管理", "logistics": "供应链管理", "tourism": "文化旅游发展", "tech_services": "信息技术",
            "new_infra": "数据科技", "agriculture": "农业发展", "environment": "环保能源", "housing": "置业",
            "resettlement": "置业", "rental": "房地产开发", "hospital": "医疗管理", "elderly": "健康养老",
        }.get(subject.key)
        if word is None:
            word = V.INDUSTRY_PRODUCTS.get(p.leading_industry, V.GENERIC_PRODUCTS)[1]
        place = rng.choice(("郑州", "郑州", "河南", "河南省"))
        return f"{place}{words['brand']}{word}{rng.choice(V.COMPANY_SUFFIXES)}", "91"

    @staticmethod
    def _address(rng: random.Random, p: ProjectSpec, unit: UnitFacts, words: Words) -> str:
        city = "郑州市" if not unit.name.startswith("郑州") else ""
        if p.subject in ("rc_river", "river", "rc_reservoir"):
            return f"{city}{unit.name}{words['place']}{words['village']}村"
        if p.reconstruction_kind or p.subject in ("agriculture", "tourism"):
            return f"{city}{unit.name}{words['place']}{words['village']}村"
        direction = rng.choice(("东北角", "西北角", "东南角", "西南角", "以东", "以西", "以南", "以北"))
        return f"{city}{unit.name}{words['road']}与{words['road2']}交叉口{direction}"

    # -- approvals, history, statistics ------------------------------------------------------

    def _green_channel(self) -> None:
        """A few reconstruction projects started before all approvals were done (二(二)7 绿色通道)."""
        rng = self.rng("green")
        pool = [p for p in self.projects if p.reconstruction_kind and p.stage == CONSTRUCTION
                and p.actual_start and p.actual_start >= dt.date(2022, 1, 1)]
        for p in rng.sample(pool, min(self.count("green_channel"), len(pool))):
            p.green_channel = True
            p.green_channel_reason = rng.choice(V.GREEN_CHANNEL_REASONS)

    def _approvals_and_moves(self) -> None:
        rng = self.rng("approvals")
        for p in self.projects:
            catalogue = self.facts.approvals.get(p.category, ())
            p.approvals = self._approvals(rng, p, catalogue) if p.stage != RESERVE and (
                p.stage != CANCELLED or p.ready_on is not None) else ()
            p.moves = self._moves(rng, p)

    def _approvals(self, rng: random.Random, p: ProjectSpec, catalogue: Sequence[ApprovalFacts]) -> tuple[ApprovalSpec, ...]:
        items: list[ApprovalSpec] = []
        if p.stage in STARTED:
            if p.green_channel:
                done_count = rng.randint(1, max(1, len(catalogue) - 2))
            else:
                done_count = len(catalogue)
            last = p.actual_start - dt.timedelta(days=1)
            days = sorted(day_between(rng, p.registered_on, last) for _ in catalogue)
            for i, item in enumerate(catalogue):
                if i < done_count:
                    due = days[i] + dt.timedelta(days=rng.randint(0, 20))
                    items.append(ApprovalSpec(item.code, item.name, item.department, "done", due, days[i]))
                else:
                    due = p.actual_start + dt.timedelta(days=rng.randint(30, 150))
                    items.append(ApprovalSpec(item.code, item.name, item.department, "in_progress", due, None))
            return tuple(items)
        # ready (or cancelled from ready): the first items done, the next in progress, the rest pending
        done_count = rng.randint(0, len(catalogue))
        in_progress = rng.randint(1, 2)
        end = p.cancelled_on or LAST_DAY
        days = sorted(day_between(rng, p.registered_on, end) for _ in catalogue)
        for i, item in enumerate(catalogue):
            if i < done_count:
                due = days[i] + dt.timedelta(days=rng.randint(0, 20))
                items.append(ApprovalSpec(item.code, item.name, item.department, "done", due, days[i]))
            else:
                status = "in_progress" if i < done_count + in_progress else "pending"
                due = day_between(rng, DEMO_AS_OF - dt.timedelta(days=75), DEMO_AS_OF + dt.timedelta(days=120))
                items.append(ApprovalSpec(item.code, item.name, item.department, status, due, None))
        return tuple(items)

    def _moves(self, rng: random.Random, p: ProjectSpec) -> tuple[StageMoveSpec, ...]:
        moves: list[StageMoveSpec] = []

        def actor() -> str:
            return "fgw" if rng.random() < 0.15 else p.unit_code

        def add(from_stage: str, to_stage: str, day: dt.date, reason: str) -> None:
            at = moment(rng, min(day, LAST_DAY))
            if moves and at <= moves[-1].at:
                at = moves[-1].at + dt.timedelta(minutes=rng.randint(5, 240))
            moves.append(StageMoveSpec(from_stage, to_stage, at, actor(), reason))

        if p.ready_on is not None:
            add(RESERVE, READY, p.ready_on, "项目已赋码，年度投资计划已下达")
        if p.actual_start is not None:
            reason = "绿色通道容缺开工，审批手续后补" if p.green_channel else "施工许可已办结，项目实际开工"
            add(READY, CONSTRUCTION, p.actual_start + dt.timedelta(days=rng.randint(0, 6)), reason)
        if p.actual_end is not None:
            add(CONSTRUCTION, COMPLETED, p.actual_end + dt.timedelta(days=rng.randint(0, 15)), "项目完成竣工验收")
        if p.stage == CANCELLED:
            add(READY if p.ready_on else RESERVE, CANCELLED, p.cancelled_on, rng.choice(V.CANCEL_REASONS))
        return tuple(moves)

    def _statistics(self) -> None:
        """入库纳统 (二(七)19): started projects above the threshold are in, bar a few missing ones."""
        rng = self.rng("statistics")
        threshold = self.facts.statistics_threshold_wan
        due = [p for p in self.projects if p.stage in STARTED and p.total_investment_wan >= threshold]
        candidates = [p for p in due if p.stage == CONSTRUCTION]
        missing = {p.ref for p in rng.sample(candidates, min(len(candidates), round(len(due) * STATISTICS_GAP_SHARE)))}
        for p in due:
            if p.ref in missing:
                continue
            p.in_statistics = True
            p.statistics_date = min(p.actual_start + dt.timedelta(days=rng.randint(10, 75)), LAST_DAY)


class Words(dict):
    """The fillers of one project's name, description, owner and address, drawn when first used.

    Drawing lazily keeps generation fast; it stays deterministic because the order of use
    depends only on the templates chosen, which come from the same random stream.
    """

    def __init__(self, rng: random.Random, project: ProjectSpec, unit: UnitFacts, subject: V.Subject) -> None:
        super().__init__()
        self.rng, self.project, self.unit, self.subject = rng, project, unit, subject

    def __missing__(self, key: str) -> Any:
        value = self._draw(key)
        self[key] = value
        return value

    def _draw(self, key: str) -> Any:
        rng, p, unit = self.rng, self.project, self.unit
        places, roads = V.PLACES.get(unit.code, V.GENERIC_PLACES)
        total = p.total_investment_wan
        capacity_unit = V.CAPACITY_UNITS.get(p.leading_industry, "万件")
        if key in ("place", "place2"):
            first, second = rng.sample(places, 2)
            self.setdefault("place", first)
            self.setdefault("place2", second)
            return self[key]
        if key in ("road", "road2", "road3"):
            picked = dict(zip(("road", "road2", "road3"), rng.sample(roads, 3), strict=True))
            for k, v in picked.items():
                self.setdefault(k, v)
            return self[key]
        simple: dict[str, Callable[[], Any]] = {
            "brand": lambda: rng.choice(V.BRAND_A) + rng.choice(V.BRAND_B),
            "product": lambda: p.product or "产品",
            "capacity": lambda: f"{rng.choice((1, 2, 3, 5, 10, 20, 30, 50, 100))}{capacity_unit}",
            "output": lambda: f"{randint(rng, 2, 120)}{capacity_unit}",
            "phase": lambda: weighted_choice(rng, [("", 0.7), ("一期", 0.12), ("二期", 0.12), ("三期", 0.06)]),
            "river": lambda: rng.choice(V.RIVERS.get(unit.code, V.GENERIC_RIVERS)),
            "village": lambda: rng.choice(V.SURNAMES) + rng.choice("庄寨沟营楼岗洼店屯河"),
            "reservoir": lambda: rng.choice(V.RESERVOIR_STEMS) if rng.random() < 0.6 else self["village"],
            "estate": lambda: rng.choice(V.ESTATE_A) + rng.choice(V.ESTATE_B),
            "re_brand": lambda: rng.choice(V.RE_BRANDS),
            "unit": lambda: unit.short_name,
            "unit_full": lambda: unit.name,
            "n": lambda: randint(rng, 60, 1200),
            "n_small": lambda: randint(rng, 2, 12),
            "lab": lambda: rng.choice(V.LABS),
            "park": lambda: rng.choice(V.PARK_NAMES),
            "scenic": lambda: rng.choice(V.SCENIC),
            "university": lambda: rng.choice(V.UNIVERSITIES),
            "floor": lambda: max(0.3, round(total / 4000 * rng.uniform(0.6, 1.4), 1)),
            "area": lambda: self._area(),
            "equipment": lambda: randint(rng, 20, 800),
            "homes": lambda: max(50, int(self["floor"] * 10_000 / rng.uniform(95, 130))),
            "beds": lambda: max(30, int(self["floor"] * 10_000 / rng.uniform(110, 160))),
            "classes": lambda: rng.choice((12, 18, 24, 30, 36, 48, 60)),
            "households": lambda: max(20, int(total / rng.uniform(3, 8))),
            "km": lambda: max(0.5, round(total / self.subject.cost_per_km * rng.uniform(0.7, 1.3), 1)),
            "width": lambda: rng.choice((24, 30, 40, 50, 60, 80)),
            "capacity_t": lambda: randint(rng, 1, 30),
            "stations": lambda: max(4, min(40, int(total / 90_000 * rng.uniform(0.8, 1.2)))),
        }
        if key not in simple:
            raise KeyError(key)
        return simple[key]()

    def _area(self) -> int:
        """Land area in 亩 (666.7 m²): from the floor area and a plot ratio, or from the cost per 亩."""
        total, rng = self.project.total_investment_wan, self.rng
        if self.subject.key == "agriculture":
            return int(total / rng.uniform(0.15, 0.5))  # 高标准农田: 0.15–0.5 万元/亩
        if self.subject.key in ("park", "tourism"):
            return max(20, int(total / rng.uniform(30, 80)))
        ratio = rng.uniform(2.0, 3.5) if self.project.category == "real_estate" else rng.uniform(0.8, 2.0)
        return max(10, int(self["floor"] * 15 / ratio))


def _phase(n: int) -> str:
    numerals = "零一二三四五六七八九十"
    return f"{numerals[n]}期" if n <= 10 else f"{n}期"


def generate(facts: PlanFacts, *, seed: int = DEMO_SEED, projects: int = DEMO_PROJECTS) -> DemoData:
    """The demo's accounts and project library for ``facts`` — the same for the same seed."""
    return DemoData(
        seed=seed,
        users=generate_users(facts, seed),
        projects=ProjectGenerator(facts, seed=seed, projects=projects).run(),
    )


def tag_counts(projects: Iterable[ProjectSpec]) -> Counter[str]:
    return Counter(tag for p in projects for tag in p.tags)


__all__ = [
    "CITY_ORG", "DEMO_AS_OF", "DEMO_BUSINESS_DATE", "DEMO_PASSWORD", "DEMO_PROJECTS", "DEMO_SEED", "ApprovalSpec", "DemoData",
    "PlanFacts", "ProjectSpec", "StageMoveSpec", "UserSpec", "facts_from_plan", "generate", "generate_users",
    "make_uscc", "rng_for", "scaled", "tag_counts",
]
