"""Writing the demo: one transaction, one audit context, bulk inserts.

The core steps' ``load`` and ``reset`` live here; :func:`load_demo` runs every
registered step (see :mod:`tuijin.demo.steps`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, ProtectedError, RestrictedError, Sum

from tuijin.audit.context import audit_context
from tuijin.audit.services import build_entry, coalesced, record_many
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.orgs.roles import role_conflicts
from tuijin.orgs.services import orgs_sync_from_plan
from tuijin.projects.models import AnnualPlan, ApprovalItem, Project, ProjectTag, StageMove
from tuijin.toolkit import clock

from .generate import (
    DEMO_BUSINESS_DATE,
    DEMO_PASSWORD,
    DEMO_PROJECTS,
    DEMO_SEED,
    ProjectSpec,
    UserSpec,
    demo_plan,
    facts_from_plan,
)
from .steps import LoadContext, demo_steps, generate_all

DEMO_REASON = "演示数据"
#: The account whose presence means "the demo is loaded".
MARKER_USERNAME = "fgw"
BATCH_SIZE = 1000


@dataclass
class DemoResult:
    seed: int
    projects: int
    seconds: float
    generate_seconds: float
    counts: dict[str, int]
    deleted: dict[str, int]
    labels: dict[str, str]
    stages: dict[str, int] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)
    key_projects: int = 0
    key_plan_yuan: int = 0
    plan_year: int = 0
    in_statistics: int = 0
    kept_users: list[str] = field(default_factory=list)


def demo_loaded() -> bool:
    """Whether demo data is present (its city administrator account exists)."""
    return User.objects.filter(username=MARKER_USERNAME).exists()


def load_demo(*, seed: int = DEMO_SEED, projects: int = DEMO_PROJECTS, reset: bool = False,
              log: Callable[[str], None] = print) -> DemoResult:
    """Generate and write the demo (all steps) in one transaction; with ``reset``, delete business data first."""
    started = time.perf_counter()
    facts = facts_from_plan(demo_plan())
    steps = demo_steps()
    log(f"正在生成演示数据（{facts.city}{facts.year}年，随机种子 {seed}，项目 {projects} 个）…")
    data = generate_all(facts, seed=seed, projects=projects, steps=steps)
    generated = time.perf_counter()
    log(f"  生成完成（{generated - started:.1f} 秒），开始写入数据库…")
    ctx = LoadContext(facts=facts, data=data, log=log)
    with audit_context(source="cli", reason=DEMO_REASON), transaction.atomic():
        set_demo_clock(log)
        if reset:
            for step in reversed(steps):
                if step.reset is not None:
                    step.reset(ctx)
            ctx.audit_batch([build_entry(action="delete", object_type="demo", object_id=str(seed),
                                         object_repr="演示数据（重置：删除业务数据）", after=dict(ctx.deleted))])
            log("  已删除原有业务数据：" + "，".join(f"{ctx.labels.get(k, k)} {n}" for k, n in ctx.deleted.items()))
        for step in steps:
            if step.load is None:
                continue
            step_started = time.perf_counter()
            step.load(ctx, data.get(step.name))
            log(f"  {step.label}：完成（{time.perf_counter() - step_started:.1f} 秒）")
        ctx.audit_batch([build_entry(
            action="import", object_type="demo", object_id=str(seed),
            object_repr=f"演示数据（{facts.city}{facts.year}年）",
            after={"seed": seed, "projects_requested": projects, **ctx.counts},
        )])
        record_many(ctx.audit_entries)
    result = DemoResult(seed=seed, projects=projects, seconds=time.perf_counter() - started,
                        generate_seconds=generated - started, counts=dict(ctx.counts), deleted=dict(ctx.deleted),
                        labels=dict(ctx.labels), plan_year=facts.year,
                        kept_users=list(ctx.kept_users))
    _summarise(result)
    return result


def set_demo_clock(log: Callable[[str], None] = print) -> None:
    """Run the platform at the demo's business date (local mode only: in production the clock is the
    system administrator's, and the demo leaves it alone)."""
    if not policy.can(policy.SYSTEM, "set_business_date"):
        log("  生产环境：业务日期由系统管理员设置，演示数据不改动业务日期")
        return
    if clock.state().day != DEMO_BUSINESS_DATE or not clock.state().demo:
        clock.set_business_date(DEMO_BUSINESS_DATE, demo=True)
    log(f"  业务日期：{DEMO_BUSINESS_DATE.isoformat()}（演示）")


def _summarise(result: DemoResult) -> None:
    """Read back what is in the database (the figures the summary prints)."""
    result.stages = dict(Project.objects.order_by().values_list("stage").annotate(n=Count("id")))
    result.tags = dict(ProjectTag.objects.order_by().values_list("tag").annotate(n=Count("id")))
    key = Project.objects.key_projects()
    result.key_projects = key.count()
    result.key_plan_yuan = AnnualPlan.objects.filter(year=result.plan_year, project__in=key.values("pk")).aggregate(
        s=Sum("amount_yuan"))["s"] or 0
    result.in_statistics = Project.objects.filter(in_statistics=True).count()


# --- timestamps ------------------------------------------------------------------------------


@contextmanager
def historical_timestamps(model: type, *names: str) -> Iterator[None]:
    """Let ``bulk_create`` keep the given ``auto_now``/``auto_now_add`` values (history is in the past).

    The fields' flags are switched off for the duration; the demo command is single-threaded.
    """
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# --- core steps: organisations ---------------------------------------------------------------


def load_orgs(ctx: LoadContext, _data: Any) -> None:
    """The city, its departments and the reporting units, from the plan (audited by the service)."""
    result = orgs_sync_from_plan()
    ctx.orgs = {o.code: o for o in Org.objects.all()}
    ctx.count("orgs", result["created"], "组织机构（新建）")


def reset_orgs(ctx: LoadContext) -> None:
    """Delete organisations nothing else refers to any more (children before the city)."""
    deleted = 0
    for org in sorted(Org.objects.all(), key=lambda o: o.parent_id is None):
        if _delete_if_free(org):
            deleted += 1
    ctx.count_deleted("orgs", deleted, "组织机构")


# --- core steps: users -------------------------------------------------------------------------


def load_users(ctx: LoadContext, users: tuple[UserSpec, ...]) -> None:
    """The demo accounts, all with :data:`DEMO_PASSWORD`; accounts kept by a reset are brought up to date."""
    hashed = make_password(DEMO_PASSWORD)  # hashing is slow by design: once for all
    existing = {u.username: u for u in User.objects.filter(username__in=[s.username for s in users])}
    new: list[User] = []
    for spec in users:
        problem = role_conflicts(list(spec.roles))
        if problem:
            raise ValueError(f"{spec.username}: {problem}")
        org = ctx.orgs[spec.org_code]
        user = existing.get(spec.username)
        if user is None:
            user = User(username=spec.username, password=hashed, org=org, roles=list(spec.roles),
                        full_name=spec.full_name, phone=spec.phone, is_active=True)
            user.clean()
            new.append(user)
            continue
        user.password, user.org, user.roles, user.full_name, user.phone = hashed, org, list(spec.roles), \
            spec.full_name, spec.phone
        user.is_active, user.is_staff, user.is_superuser = True, False, False
        user.clean()
        user.save()  # each user records its own entry (never the password hash)
    User.objects.bulk_create(new, batch_size=BATCH_SIZE)
    ctx.users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in users])}
    ctx.count("users", len(users), "用户")


def reset_users(ctx: LoadContext) -> None:
    """Delete every user; those the audit log refers to cannot go and are kept (and reused)."""
    deleted, kept = 0, []
    for user in User.objects.order_by("pk"):
        if _delete_if_free(user):
            deleted += 1
        else:
            kept.append(user.username)
    ctx.kept_users = kept
    ctx.count_deleted("users", deleted, "用户")
    if kept:
        ctx.log(f"  保留 {len(kept)} 个已被审计日志等引用的用户（仅更新其设置）：{'、'.join(kept)}")


def _delete_if_free(obj: Any) -> bool:
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError):
        return False
    return True


# --- core steps: projects ----------------------------------------------------------------------


def _project(spec: ProjectSpec, unit: Org) -> Project:
    return Project(
        project_code=spec.project_code, name=spec.name, unit=unit, owner_name=spec.owner_name,
        owner_uscc=spec.owner_uscc, category=spec.category, field=spec.field, leading_industry=spec.leading_industry,
        nature=spec.nature, investment_type=spec.investment_type,
        total_investment_yuan=spec.total_investment_wan * 10_000, stage=spec.stage,
        planned_start=spec.planned_start, planned_end=spec.planned_end, actual_start=spec.actual_start,
        actual_end=spec.actual_end, address=spec.address, lat=spec.lat, lon=spec.lon, content=spec.content,
        contact_name=spec.contact_name, contact_phone=spec.contact_phone, leader=spec.leader,
        in_statistics=spec.in_statistics, statistics_date=spec.statistics_date, green_channel=spec.green_channel,
        green_channel_reason=spec.green_channel_reason, created_at=spec.created_at, updated_at=spec.updated_at,
    )


def load_projects(ctx: LoadContext, specs: tuple[ProjectSpec, ...]) -> None:
    """The project library with its tags, departments, annual plans, approvals and stage history.

    Every row records its own audit entry; a project's entry shows it with its tags, departments
    and annual plans (written after it, hence :func:`coalesced`).
    """
    projects = [_project(spec, ctx.orgs[spec.unit_code]) for spec in specs]
    with coalesced():
        with historical_timestamps(Project, "created_at", "updated_at"):
            # SQLite ≥ 3.35 and PostgreSQL return the new ids from bulk inserts.
            Project.objects.bulk_create(projects, batch_size=BATCH_SIZE)
        ctx.project_ids.update({spec.ref: p.pk for spec, p in zip(specs, projects, strict=True)})

        through = Project.departments.through
        departments = [through(project_id=p.pk, org_id=ctx.orgs[code].pk)
                       for spec, p in zip(specs, projects, strict=True) for code in spec.departments]
        through.objects.bulk_create(departments, batch_size=BATCH_SIZE)
        tags = [ProjectTag(project_id=p.pk, tag=tag)
                for spec, p in zip(specs, projects, strict=True) for tag in spec.tags]
        ProjectTag.objects.bulk_create(tags, batch_size=BATCH_SIZE)
        plans = [AnnualPlan(project_id=p.pk, year=year, amount_yuan=amount * 10_000)
                 for spec, p in zip(specs, projects, strict=True) for year, amount in spec.annual_plans]
        AnnualPlan.objects.bulk_create(plans, batch_size=BATCH_SIZE)
    approvals = [
        ApprovalItem(project_id=p.pk, code=a.code, name=a.name, department_id=ctx.orgs[a.department_code].pk,
                     status=a.status, due_date=a.due_date, approved_on=a.approved_on)
        for spec, p in zip(specs, projects, strict=True) for a in spec.approvals
    ]
    ApprovalItem.objects.bulk_create(approvals, batch_size=BATCH_SIZE)
    moves = [
        StageMove(project_id=p.pk, from_stage=m.from_stage, to_stage=m.to_stage, at=m.at,
                  actor_id=ctx.users[m.actor].pk, reason=m.reason)
        for spec, p in zip(specs, projects, strict=True) for m in spec.moves
    ]
    with historical_timestamps(StageMove, "at"):
        StageMove.objects.bulk_create(moves, batch_size=BATCH_SIZE)
    ctx.count("projects", len(projects), "项目")
    ctx.count("project_departments", len(departments), "责任部门")
    ctx.count("project_tags", len(tags), "项目标签")
    ctx.count("annual_plans", len(plans), "年度计划")
    ctx.count("approval_items", len(approvals), "审批事项")
    ctx.count("stage_moves", len(moves), "阶段变更记录")


def reset_projects(ctx: LoadContext) -> None:
    """Delete the project library. Leaf tables go by plain SQL; projects through the ORM so
    that rows of other modules still pointing at them cascade (or refuse) as their models say."""
    for label, key, model in (("项目标签", "project_tags", ProjectTag), ("年度计划", "annual_plans", AnnualPlan),
                              ("阶段变更记录", "stage_moves", StageMove), ("审批事项", "approval_items", ApprovalItem),
                              ("责任部门", "project_departments", Project.departments.through)):
        ctx.count_deleted(key, _delete_all(model), label)
    count = Project.objects.count()
    Project.objects.all().delete()
    ctx.count_deleted("projects", count, "项目")


def _delete_all(model: type) -> int:
    """Empty a leaf table in one statement (no per-row signals: nothing is attached to these rows)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        return max(cursor.rowcount, 0)
