"""Demo step: special bonds 2022 (二(二)8), after the project library (order 250).

The projects step tags 142 projects ``special_bond``; here they get their quotas in the plan's two
batches (targets ``bond_batches`` / ``bond_projects`` / ``bond_amount``: 2 batches, 142 projects,
111.1亿元 exactly), quotas in whole 10万元 proportional to the project's total investment (capped),
the first batch (January) issued in February–March, the second (April) in May–June (one project
still waiting), monthly spending from the ledger January–June 2022 at a pace that differs by unit,
about forty supplementary applications with their reviews, and a few recorded violations — so that
the June 2022 evaluation ranks all units with bond projects and puts four of them (管城区, 新密市,
上街区, 登封市) on the talk list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tuijin.audit.services import build_entry
from tuijin.bonds.models import (
    BondBatch,
    BondIssuance,
    BondQuota,
    BondSpending,
    ComplianceViolation,
    SupplementaryApplication,
)
from tuijin.demo.steps import DemoStep, GenerationContext, LoadContext, register_step
from tuijin.projects.models import Project

YEAR = 2022
LAST_MONTH = 6
BATCH_DATES = {1: dt.date(2022, 1, 20), 2: dt.date(2022, 4, 15)}
#: Share of issued money a unit has spent by June (the rest of the story is the evaluation).
PACE = {"shangjie": 0.22, "dengfeng": 0.30, "xinmi": 0.38, "huiji": 0.45}
DEFAULT_PACE = (0.34, 0.56)
#: Units whose supplementary applications mostly fail review, and units with violations.
POOR_SUBMISSIONS = {"dengfeng", "shangjie"}
VIOLATIONS = [("dengfeng", dt.date(2022, 3, 18), "债券资金未按规定用途使用，部分资金用于项目以外的日常支出"),
              ("dengfeng", dt.date(2022, 5, 9), "专项债券项目资金未纳入专户管理"),
              ("shangjie", dt.date(2022, 4, 22), "债券资金支付凭证不完整，信息公开不及时"),
              ("xinmi", dt.date(2022, 6, 10), "项目收益与融资自求平衡方案未按期更新")]


@dataclass
class QuotaSpec:
    ref: int
    batch: int
    amount_yuan: int
    issued: list[tuple[dt.date, int]] = field(default_factory=list)
    spending: list[tuple[int, int]] = field(default_factory=list)  # (month, yuan)


@dataclass
class BondDemo:
    quotas: list[QuotaSpec]
    applications: list[tuple[str, str, int, dt.date, str, dt.date | None, str]]
    violations: list[tuple[str, dt.date, str]]


def generate(ctx: GenerationContext) -> BondDemo:
    rng = ctx.rng("bonds")
    facts = ctx.facts
    projects = [p for p in ctx.data["projects"] if "special_bond" in p.tags]
    total_yuan = int(facts.target("bond_amount") * 100_000_000)
    short = {u.code: u.short_name for u in facts.units}
    projects.sort(key=lambda p: p.ref)
    rng.shuffle(projects)
    first = len(projects) * 3 // 5
    weights = [min(p.total_investment_wan, 400_000) ** 0.8 for p in projects]
    unit_yuan = 100_000  # 10万元
    raw = [w / sum(weights) * total_yuan for w in weights]
    amounts = [max(unit_yuan, int(r // unit_yuan) * unit_yuan) for r in raw]
    amounts[max(range(len(amounts)), key=lambda i: amounts[i])] += total_yuan - sum(amounts)
    quotas = []
    for i, (p, amount) in enumerate(zip(projects, amounts, strict=True)):
        batch = 1 if i < first else 2
        q = QuotaSpec(ref=p.ref, batch=batch, amount_yuan=amount)
        if batch == 1:
            q.issued.append((dt.date(2022, rng.choice([2, 3]), rng.randint(8, 25)), amount))
        elif i != len(projects) - 1:  # one second-batch project still waits for its issuance
            day = dt.date(2022, rng.choice([5, 6]), rng.randint(5, 25))
            q.issued.append((day, amount))
        if q.issued:
            issued_on, issued = q.issued[0]
            low, high = DEFAULT_PACE
            pace = PACE.get(p.unit_code, rng.uniform(low, high))
            spent_total = int(issued * max(0.0, min(0.95, pace * rng.uniform(0.85, 1.15))))
            months = list(range(issued_on.month, LAST_MONTH + 1))
            shares = [rng.uniform(0.6, 1.4) for _ in months]
            left = spent_total
            for j, (m, s) in enumerate(zip(months, shares, strict=True)):
                yuan = left if j == len(months) - 1 else int(spent_total * s / sum(shares) // 10_000 * 10_000)
                yuan = max(0, min(yuan, left))
                left -= yuan
                if yuan:
                    q.spending.append((m, yuan))
        quotas.append(q)
    units = sorted({p.unit_code for p in projects})
    applications = []
    for n in range(40):
        unit = units[n % len(units)]
        submitted = dt.date(2022, rng.randint(3, 6), rng.randint(1, 20))
        amount = rng.randint(30, 300) * 1_000_000
        poor = unit in POOR_SUBMISSIONS
        roll = rng.random()
        if roll < 0.15:
            status, reviewed, note = "submitted", None, ""
        elif roll < (0.75 if poor else 0.2) + 0.15:
            status, reviewed, note = "rejected", submitted + dt.timedelta(days=rng.randint(5, 15)), \
                rng.choice(["项目收益不能覆盖融资本息", "前期手续不完备，未取得可研批复", "不属于专项债券支持领域"])
        else:
            status, reviewed, note = "passed", submitted + dt.timedelta(days=rng.randint(5, 15)), ""
        name = rng.choice(["老旧小区改造", "污水处理厂提标", "产业园标准化厂房", "综合管廊", "停车场", "冷链物流园",
                           "医院扩建", "学校新建", "片区供热管网", "农贸市场改造"])
        applications.append((unit, f"{short.get(unit, unit)}{name}项目（补充申报）", amount, submitted, status, reviewed,
                             note))
    violations = [v for v in VIOLATIONS if v[0] in units]
    return BondDemo(quotas=quotas, applications=applications, violations=violations)


def load(ctx: LoadContext, data: BondDemo) -> None:
    batches = {n: BondBatch.objects.create(year=YEAR, number=n, name=f"{YEAR}年第{'一二'[n - 1]}批专项债券",
                                           issued_on=day) for n, day in BATCH_DATES.items()}
    ids = [ctx.project_ids[q.ref] for q in data.quotas]
    unit_of = dict(Project.objects.filter(pk__in=ids).values_list("pk", "unit_id"))
    quotas = BondQuota.objects.bulk_create([
        BondQuota(batch=batches[q.batch], project_id=ctx.project_ids[q.ref], unit_id=unit_of[ctx.project_ids[q.ref]],
                  amount_yuan=q.amount_yuan) for q in data.quotas])
    issuances, spending = [], []
    for spec, quota in zip(data.quotas, quotas, strict=True):
        issuances += [BondIssuance(quota=quota, unit_id=quota.unit_id, issued_on=d, amount_yuan=a) for d, a in spec.issued]
        spending += [BondSpending(project_id=quota.project_id, unit_id=quota.unit_id, year=YEAR, month=m, amount_yuan=a)
                     for m, a in spec.spending]
    BondIssuance.objects.bulk_create(issuances)
    BondSpending.objects.bulk_create(spending)
    orgs = ctx.orgs
    SupplementaryApplication.objects.bulk_create([
        SupplementaryApplication(unit=orgs[u], name=name, year=YEAR, amount_yuan=amount, submitted_on=sub, status=st,
                                 reviewed_on=rev, review_note=note)
        for u, name, amount, sub, st, rev, note in data.applications])
    ComplianceViolation.objects.bulk_create([
        ComplianceViolation(unit=orgs[u], occurred_on=day, description=text, recorded_by=ctx.users.get("fgw"))
        for u, day, text in data.violations])
    ctx.count("bond_quotas", len(quotas), "专项债券额度（2批142个项目）")
    ctx.count("bond_issuances", len(issuances), "专项债券发行")
    ctx.count("bond_spending", len(spending), "专项债券月度支出")
    ctx.count("bond_applications", len(data.applications), "专项债补充申报")
    ctx.count("bond_violations", len(data.violations), "专项债券违规记录")
    ctx.audit_batch([build_entry(action="import", object_type="bonds.bondquota", object_repr="演示：专项债券",
                                 after={"quotas": len(quotas), "issuances": len(issuances)})])


def reset(ctx: LoadContext) -> None:
    n = 0
    for model in (BondSpending, BondIssuance, BondQuota, BondBatch, SupplementaryApplication, ComplianceViolation):
        n += model.objects.all()._raw_delete(model.objects.db)
    ctx.count_deleted("bonds", n, "专项债券")


register_step(DemoStep(name="bonds", label="专项债券（2022年两批142个项目111.1亿元、发行、支出、补充申报）", order=250,
                       generate=generate, load=load, reset=reset))
