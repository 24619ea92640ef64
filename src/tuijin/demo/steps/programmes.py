"""Demo step (order 200): the programmes on top of the generated project library.

What it adds, deterministically and without touching the database in ``generate``:

* reconstruction categories from the generated subjects, and one named plan per reservoir
  (the plan's 143 small and medium reservoirs, 一库一案);
* reserve maturity (谋划 / 可研 / 手续办理 / 具备开工条件) for the reserve library;
* land: need in 亩 for industrial, infrastructure and real-estate projects not yet completed, quota
  status (secured for most started projects, pending or partial before), whitelist quarter
  (2022Q1) for the whitelist projects and a priority order for the quota still to come
  (whitelist, national land support and reconstruction first, then by size);
* in-production and at-capacity dates for completed industrial projects;
* funding sources, planned and in place, for key, "982", bond, reconstruction and REITs projects:
  sources by investment type and tags; in place by stage (reserve little, construction 40–90 %);
  loan gaps make the financing-needs list;
* four 三个一批 batches (2021-04, 2021-10, 2022-01, 2022-04 — the province's fourth in early April
  2022, 二(二)6) with signed (investment-promotion projects), start and production lists; each
  production list is drawn from the previous batch's start list (the chain), so the rates are
  what the lists make them.

Statistics inclusion (with a few missing projects) comes with the project library itself.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from tuijin.audit.services import build_entry
from tuijin.demo.generate import DEMO_AS_OF, ProjectSpec
from tuijin.demo.steps import DemoStep, GenerationContext, LoadContext, register_step
from tuijin.programmes.models import Batch, BatchEntry
from tuijin.projects.models import FundingSource, Project

LAST_DAY = DEMO_AS_OF - dt.timedelta(days=1)
MATURITY_WEIGHTS = (("concept", 30), ("feasibility", 35), ("approvals", 25), ("ready", 10))
#: 万元 of investment per 亩 of land, by category (a plausible density for Zhengzhou in 2022).
WAN_PER_MU = {"industrial": 250, "infrastructure": 600, "real_estate": 1500}
BATCHES = ((1, dt.date(2021, 4, 15), "第一期"), (2, dt.date(2021, 10, 12), "第二期"),
           (3, dt.date(2022, 1, 6), "第三期"), (4, dt.date(2022, 4, 8), "第四期"))
SIGNED_PER_BATCH, START_PER_BATCH, PRODUCTION_SHARE = 24, 60, 0.6
SIGNED_STARTED_SHARE = {1: 0.8, 2: 0.7, 3: 0.55, 4: 0.3}
FUNDED_TAGS = ("provincial_key", "city_key", "shortfall_982", "special_bond", "reconstruction", "reits")

PROJECT_FIELDS = ("reconstruction_category", "reservoir_name", "maturity", "land_need_mu", "land_quota_status",
                  "land_priority", "whitelist_quarter", "in_production_on", "at_capacity_on")


@dataclass
class ProgrammeData:
    projects: dict[int, dict[str, Any]] = field(default_factory=dict)  # ref → field values
    funding: list[tuple[int, str, int, int]] = field(default_factory=list)  # ref, source, planned 万元, in place
    batches: list[tuple[int, dt.date, str]] = field(default_factory=list)
    entries: list[tuple[int, str, int, bool]] = field(default_factory=list)  # batch number, kind, ref, registered


def _weighted(rng: Any, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def generate(ctx: GenerationContext) -> ProgrammeData:
    specs: tuple[ProjectSpec, ...] = ctx.data["projects"]
    rng = ctx.rng("programmes")
    data = ProgrammeData()
    unit_names = {u.code: u.short_name for u in ctx.facts.units}
    reservoirs: set[str] = set()
    land_queue: list[tuple[int, int, int]] = []  # (rank class, -total, ref)

    for p in specs:
        values: dict[str, Any] = {}
        if p.reconstruction_kind:
            values["reconstruction_category"] = p.reconstruction_kind
            if p.reconstruction_kind == "reservoir":
                stem = re.search(r"([^\s“”（）]{1,6}?水库)", p.name)
                name = f"{unit_names[p.unit_code]}{stem.group(1) if stem else '无名水库'}"
                suffix = 2
                base = name
                while name in reservoirs:
                    name, suffix = f"{base}（{suffix}号）", suffix + 1
                reservoirs.add(name)
                values["reservoir_name"] = name
        if p.stage == "reserve":
            values["maturity"] = _weighted(rng, MATURITY_WEIGHTS)
        if p.category in WAN_PER_MU and p.stage in ("reserve", "ready", "construction") and (
                rng.random() < 0.55 or "whitelist" in p.tags or "land_support" in p.tags):
            mu = max(Decimal("2"), (Decimal(p.total_investment_wan) / WAN_PER_MU[p.category]
                                    * Decimal(str(rng.uniform(0.6, 1.5)))).quantize(Decimal("0.01")))
            values["land_need_mu"] = min(mu, Decimal("5000"))
            if p.stage == "construction":
                status = "secured" if rng.random() < 0.85 else "partial"
            elif p.stage == "ready":
                status = _weighted(rng, (("pending", 45), ("partial", 35), ("secured", 20)))
            else:
                status = _weighted(rng, (("pending", 80), ("partial", 20)))
            values["land_quota_status"] = status
            if status != "secured":
                rank = 0 if "whitelist" in p.tags else 1 if "land_support" in p.tags else \
                    2 if p.reconstruction_kind else 3
                land_queue.append((rank, -p.total_investment_wan, p.ref))
        if "whitelist" in p.tags:
            values["whitelist_quarter"] = f"{ctx.facts.year}Q1"
        if p.category == "industrial" and p.actual_end is not None:
            produced = min(p.actual_end + dt.timedelta(days=rng.randint(0, 60)), LAST_DAY)
            values["in_production_on"] = produced
            if rng.random() < 0.45:
                capacity = produced + dt.timedelta(days=rng.randint(60, 300))
                if capacity <= LAST_DAY:
                    values["at_capacity_on"] = capacity
        if values:
            data.projects[p.ref] = values
        if any(t in p.tags for t in FUNDED_TAGS):
            data.funding += _funding(rng, p)

    for priority, (_rank, _neg, ref) in enumerate(sorted(land_queue), start=1):
        data.projects[ref]["land_priority"] = priority

    _batches(rng, specs, data)
    return data


def _funding(rng: Any, p: ProjectSpec) -> list[tuple[int, str, int, int]]:
    total = p.total_investment_wan
    if p.investment_type == "government":
        shares = [("fiscal", 0.3)]
        if "special_bond" in p.tags:
            shares.append(("special_bond", 0.35))
        if rng.random() < 0.25:
            shares.append(("central_budget", 0.1))
        if p.category == "infrastructure" and rng.random() < 0.04:
            shares.append(("intl_loan", 0.15))
        if "reits" in p.tags:
            shares.append(("reits", 0.2))
    else:
        shares = [("private", 0.55)]
    shares.append(("bank_loan", max(0.05, 1 - sum(s for _c, s in shares))))
    scale = sum(s for _c, s in shares)
    in_place_share = {"reserve": (0.0, 0.1), "ready": (0.1, 0.4), "construction": (0.4, 0.9),
                      "completed": (0.95, 1.0), "cancelled": (0.0, 0.0)}[p.stage]
    rows = []
    for code, share in shares:
        planned = int(total * share / scale)
        low, high = in_place_share
        if code == "bank_loan" and p.stage in ("ready", "construction"):
            high = high * 0.7  # loans lag: the financing-needs list
        rows.append((p.ref, code, planned, int(planned * rng.uniform(low, high))))
    return rows


def _batches(rng: Any, specs: tuple[ProjectSpec, ...], data: ProgrammeData) -> None:
    """Four batches; a batch's production list comes from the previous batch's start list."""
    used_start: set[int] = set()
    used_signed: set[int] = set()
    previous_start: list[ProjectSpec] = []
    for number, held_on, name in BATCHES:
        data.batches.append((number, held_on, name))
        window_end = held_on + dt.timedelta(days=100)
        starts = [p for p in specs if p.ref not in used_start and p.actual_start is not None
                  and held_on - dt.timedelta(days=20) <= p.actual_start <= window_end and p.is_key]
        # A few listed projects have not started yet (the start rate is not 100 %).
        planned = [p for p in specs if p.ref not in used_start and p.actual_start is None and p.is_key
                   and p.planned_start is not None and held_on <= p.planned_start <= window_end]
        chosen = rng.sample(starts, min(len(starts), START_PER_BATCH - 6)) + rng.sample(planned, min(len(planned), 6))
        used_start |= {p.ref for p in chosen}
        data.entries += [(number, "started", p.ref, False) for p in chosen]
        deals = [p for p in specs if "promotion" in p.tags and p.ref not in used_signed
                 and p.registered_on <= held_on + dt.timedelta(days=30)]
        # Older batches' deals have had time to perform: most of them have started.
        performing = [p for p in deals if p.actual_start is not None]
        waiting = [p for p in deals if p.actual_start is None]
        want = round(SIGNED_PER_BATCH * SIGNED_STARTED_SHARE[number])
        signed = rng.sample(performing, min(len(performing), want))
        signed += rng.sample(waiting, min(len(waiting), SIGNED_PER_BATCH - len(signed)))
        used_signed |= {p.ref for p in signed}
        data.entries += [(number, "signed", p.ref, rng.random() < 0.8) for p in signed]
        candidates = [p for p in previous_start if p.category == "industrial" or p.ref in data.projects
                      and data.projects[p.ref].get("in_production_on")]
        producing = rng.sample(candidates, int(len(candidates) * PRODUCTION_SHARE)) if candidates else []
        for p in producing:
            values = data.projects.setdefault(p.ref, {})
            if "in_production_on" not in values and p.actual_start is not None and rng.random() < 0.7:
                produced = min(max(held_on, p.actual_start) + dt.timedelta(days=rng.randint(30, 200)), LAST_DAY)
                values["in_production_on"] = produced
                if rng.random() < 0.4 and produced + dt.timedelta(days=90) <= LAST_DAY:
                    values["at_capacity_on"] = produced + dt.timedelta(days=90)
        data.entries += [(number, "producing", p.ref, False) for p in producing]
        previous_start = chosen


def load(ctx: LoadContext, data: ProgrammeData) -> None:
    ids = ctx.project_ids
    # One UPDATE per project via executemany: Django's bulk_update builds CASE expressions that
    # take seconds on SQLite for a few thousand rows; this takes milliseconds on both databases.
    fields = [Project._meta.get_field(name) for name in PROJECT_FIELDS]
    blank = {"reconstruction_category", "reservoir_name", "maturity", "land_quota_status", "whitelist_quarter"}
    rows = [[f.get_db_prep_save(values.get(f.name, "" if f.name in blank else None), connection) for f in fields]
            + [ids[ref]] for ref, values in data.projects.items()]
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(Project._meta.db_table)} SET " + ", ".join(f"{qn(f.column)} = %s" for f in fields)
           + f" WHERE {qn('id')} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    objs = rows
    FundingSource.objects.bulk_create([FundingSource(project_id=ids[ref], source=code, planned_yuan=planned * 10_000,
                                                     in_place_yuan=in_place * 10_000)
                                       for ref, code, planned, in_place in data.funding], batch_size=1000)
    batches = {number: Batch(number=number, held_on=held_on, name=name) for number, held_on, name in data.batches}
    Batch.objects.bulk_create(list(batches.values()))
    units = dict(Project.objects.filter(pk__in=[ids[ref] for _n, _k, ref, _r in data.entries])
                 .values_list("pk", "unit_id"))
    BatchEntry.objects.bulk_create([
        BatchEntry(batch=batches[number], kind=kind, project_id=ids[ref], unit_id=units[ids[ref]],
                   company_registered=registered)
        for number, kind, ref, registered in data.entries], batch_size=1000)
    counts = {"programme_projects": len(objs), "funding_sources": len(data.funding), "batches": len(batches),
              "batch_entries": len(data.entries)}
    ctx.count("programme_projects", len(objs), "项目推进信息（用地、重建类别、成熟度、投产）")
    ctx.count("funding_sources", len(data.funding), "资金来源")
    ctx.count("batches", len(batches), "“三个一批”期次")
    ctx.count("batch_entries", len(data.entries), "“三个一批”清单项目")
    ctx.audit_batch([build_entry(action="import", object_type="programmes", object_id="demo",
                                 object_repr="演示数据：项目推进计划（用地、资金、“三个一批”、灾后重建、储备）",
                                 after=counts)])


def reset(ctx: LoadContext) -> None:
    for label, key, model in (("“三个一批”清单项目", "batch_entries", BatchEntry), ("“三个一批”期次", "batches", Batch),
                              ("资金来源", "funding_sources", FundingSource)):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            ctx.count_deleted(key, max(cursor.rowcount, 0), label)


register_step(DemoStep(name="programmes", label="项目推进计划（用地、资金、“三个一批”、灾后重建、储备）", order=200,
                       generate=generate, load=load, reset=reset))
