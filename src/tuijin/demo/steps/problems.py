"""Demo step (order 400): problems, supervision tasks, a weekly meeting and the demo users' messages.

As of :data:`DEMO_TODAY`, the demo's business date (Friday 15 July 2022, while June's figures are reviewed):

* about sixty project problems raised by the reporting units since mid-May, in every state (raised,
  accepted, in progress, resolved awaiting confirmation, closed, returned), some overdue — a few at
  each rung of the overdue ladder; each with its timeline (steps and a comment or two);
* supervision tasks: the escalations of the year and the problems at the supervision rung, made from
  the sources exactly as the monthly scheduler does (on 15 June and on 15 July), the older ones part
  closed; tasks the supervision office assigned by hand in June and July — open, overdue, repeatedly
  overdue (extended and late again), closed with evidence and monthly follow-ups; the decisions of the
  2022-W28 weekly meeting;
* the reminders due on that day for every demo user, delivered in-app (about a third already read).

``generate`` is pure (draws from its own random stream); ``load`` writes the problems in bulk and goes
through the services for the ladder, the sources, the tasks and the reminders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from tuijin.audit.context import audit_context
from tuijin.audit.services import build_entry
from tuijin.demo.generate import DEMO_BUSINESS_DATE, DEMO_TZ, ProjectSpec
from tuijin.demo.steps import DemoStep, GenerationContext, LoadContext, register_step
from tuijin.notifications.models import Notification
from tuijin.notifications.reminders import scan
from tuijin.plan import plan_for
from tuijin.problems import rules
from tuijin.problems.models import Problem, ProblemAttachment, ProblemEvent
from tuijin.problems.services import problems_escalate
from tuijin.supervision import services as supervision
from tuijin.supervision.models import Meeting, SupervisionTask, TaskFollowUp

DEMO_TODAY = DEMO_BUSINESS_DATE
#: The monthly runs of the scheduler (problem ladder, tasks from the sources) up to the business date.
SYNC_DAYS = (dt.date(2022, 6, 15), DEMO_TODAY)
FIRST_DAY = dt.date(2022, 4, 27)
PROBLEMS = 60

TITLES = {
    "land": ["建设用地指标未落实", "土地征收手续未完成，无法供地", "用地预审意见迟迟未出具", "项目红线与规划冲突需调整"],
    "funds": ["银行贷款审批周期过长", "专项债资金未按期拨付", "项目资本金到位不足", "中央预算内资金申报需指导"],
    "approvals": ["施工许可证办理受阻", "环评批复前置条件不明确", "规划许可审查意见反复修改", "节能审查材料需补正"],
    "demolition": ["地上附着物补偿标准存在分歧", "剩余3户未签订拆迁协议", "坟迁工作推进缓慢", "杆线迁改协调困难"],
    "municipal": ["市政道路未贯通影响施工进场", "雨污水管网接驳未落实", "燃气管线接入方案未确定", "配套道路征迁滞后"],
    "environment": ["施工扬尘管控期间停工", "能耗指标不足", "排污总量指标未落实", "环保督察整改影响进度"],
    "utilities": ["临时用电增容未批复", "供水管网接入未落实", "10千伏专线接入排期过晚", "供暖管网配套未确定"],
    "other": ["施工人员返岗受疫情影响", "建材价格上涨造成资金缺口", "周边群众阻工", "跨区域协调事项需市级统筹"],
}
DESCRIPTIONS = {
    "land": "项目已完成立项，因用地问题无法按计划开工，请协调解决。",
    "funds": "项目资金缺口影响施工进度，请协调金融机构和财政部门给予支持。",
    "approvals": "前期手续办理进度滞后，影响项目按期开工，请协调加快办理。",
    "demolition": "征迁工作进展缓慢，施工作业面无法移交，请协调推进。",
    "municipal": "市政配套设施不到位，影响项目施工和后续投用，请协调相关单位。",
    "environment": "环保与能耗要素制约项目推进，请协调指导。",
    "utilities": "水电气暖等要素保障不到位，请协调相关单位尽快落实。",
    "other": "项目推进中遇到困难，请有关部门协调解决。",
}
RESOLUTIONS = ["已召开专题协调会，明确办理路径和时限，相关手续已办结。", "已协调相关单位现场办公，问题已解决。",
               "已按绿色通道加快办理，相关批复已出具。", "已与项目单位对接，落实了资金和要素保障。"]
STATES = (rules.RAISED, rules.ACCEPTED, rules.IN_PROGRESS, rules.RESOLVED, rules.CLOSED, rules.RETURNED)


@dataclass(frozen=True)
class ProblemDemo:
    ref: int  # the project's ProjectSpec.ref
    unit_code: str
    category: str
    title: str
    raised_on: dt.date
    state: str
    accepted_after: int  # working days
    resolved_after: int  # working days after accepting
    comment: bool


def _working_after(day: dt.date, n: int) -> dt.date:
    return rules.add_working_days(day, n)


def generate(ctx: GenerationContext) -> tuple[ProblemDemo, ...]:
    rng = ctx.rng("problems")
    projects: tuple[ProjectSpec, ...] = ctx.data["projects"]
    candidates = [p for p in projects if p.stage in ("ready", "construction")]
    rng.shuffle(candidates)
    categories = list(TITLES)
    span = (DEMO_TODAY - FIRST_DAY).days
    out = []
    for i in range(min(PROBLEMS, len(candidates))):
        project = candidates[i]
        category = categories[i % len(categories)]
        raised = FIRST_DAY + dt.timedelta(days=rng.randrange(span))
        while raised.weekday() >= 5:
            raised -= dt.timedelta(days=1)
        age = (DEMO_TODAY - raised).days
        # Older problems are further along; every state occurs, some stay open past their deadline.
        if age < 7:
            state = rng.choice((rules.RAISED, rules.RAISED, rules.ACCEPTED, rules.RETURNED))
        elif age < 30:
            state = rng.choice((rules.ACCEPTED, rules.IN_PROGRESS, rules.IN_PROGRESS, rules.RESOLVED, rules.RETURNED))
        else:
            state = rng.choice((rules.IN_PROGRESS, rules.RESOLVED, rules.CLOSED, rules.CLOSED, rules.CLOSED,
                                rules.RAISED))
        out.append(ProblemDemo(ref=project.ref, unit_code=project.unit_code, category=category,
                               title=rng.choice(TITLES[category]), raised_on=raised, state=state,
                               accepted_after=rng.randint(1, 3), resolved_after=rng.randint(3, 25),
                               comment=rng.random() < 0.4))
    # Guarantee every state at least once (the demo is for showing them all).
    present = {p.state for p in out}
    fixed = list(out)
    for n, state in enumerate(s for s in STATES if s not in present):
        old = fixed[n]
        fixed[n] = ProblemDemo(**{**old.__dict__, "state": state, "raised_on": dt.date(2022, 6, 1)})
    return tuple(fixed)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=DEMO_TZ)


def load(ctx: LoadContext, data: tuple[ProblemDemo, ...]) -> None:
    plan = plan_for(DEMO_TODAY.year, on=DEMO_TODAY)
    departments = {c.code: ctx.orgs[plan.problems.department_for(c.code)] for c in plan.rules.problem_deadlines.categories}
    days = {c.code: c.working_days for c in plan.rules.problem_deadlines.categories}
    problems, steps = [], []
    for spec in data:
        unit = ctx.orgs[spec.unit_code]
        raiser = ctx.users.get(spec.unit_code)
        department = departments[spec.category]
        handler = ctx.users.get(department.code)
        deadline = rules.problem_deadline(spec.raised_on, days[spec.category])
        accepted = _working_after(spec.raised_on, spec.accepted_after)
        resolved = _working_after(accepted, spec.resolved_after)
        if resolved > DEMO_TODAY:
            resolved = DEMO_TODAY - dt.timedelta(days=1)
        closed = min(_working_after(resolved, 2), DEMO_TODAY)
        path = {rules.RAISED: [], rules.ACCEPTED: ["accept"], rules.IN_PROGRESS: ["accept", "start"],
                rules.RESOLVED: ["accept", "start", "resolve"], rules.CLOSED: ["accept", "start", "resolve", "close"],
                rules.RETURNED: ["return"]}[spec.state]
        problem = Problem(unit=unit, project_id=ctx.project_ids[spec.ref], category=spec.category, title=spec.title,
                          description=DESCRIPTIONS[spec.category], department=department, status=spec.state,
                          raised_by=raiser, raiser_org=unit, raised_on=spec.raised_on, deadline=deadline,
                          accepted_on=accepted if "accept" in path else None,
                          resolved_on=resolved if "resolve" in path else None,
                          closed_on=closed if "close" in path else None,
                          resolution=RESOLUTIONS[spec.ref % len(RESOLUTIONS)] if "resolve" in path else "",
                          plan_hash=plan.hash, version=1 + len(path), created_at=_at(spec.raised_on, 9))
        timeline = [("raise", "", rules.RAISED, raiser, spec.raised_on,
                     f"分派至{department.name}，办理时限{days[spec.category]}个工作日（至{deadline:%Y-%m-%d}）")]
        status = rules.RAISED
        for action in path:
            target = rules.TRANSITIONS[action][1]
            when = {"accept": accepted, "start": accepted, "resolve": resolved, "close": closed,
                    "return": accepted}[action]
            note = {"resolve": problem.resolution, "return": "材料不全，请补充项目用地红线图和相关批复后重新提交。"}.get(action, "")
            timeline.append((action, status, target, raiser if action == "close" else handler, when, note))
            status = target
        if spec.comment:
            timeline.append(("comment", "", "", raiser, min(accepted, DEMO_TODAY), "请尽快协调，项目急需开工。"))
        problems.append(problem)
        steps.append(timeline)
    Problem.objects.bulk_create(problems)
    events = [ProblemEvent(problem=problem, action=a, from_status=f, to_status=t, actor=u, at=_at(d, 10 + n), note=note)
              for problem, timeline in zip(problems, steps, strict=True)
              for n, (a, f, t, u, d, note) in enumerate(timeline)]
    ProblemEvent.objects.bulk_create(events)
    ctx.count("problems", len(problems), "项目问题（万人助万企）")
    ctx.count("problem_events", len(events), "问题办理记录")
    ctx.audit_batch([build_entry(action="import", object_type="problems.problem", object_id="demo",
                                 object_repr="演示数据：项目问题台账",
                                 after={"problems": len(problems), "events": len(events),
                                        "states": {s: sum(1 for p in problems if p.status == s) for s in STATES}})])
    _load_supervision(ctx)


def _load_supervision(ctx: LoadContext) -> None:
    dcs = ctx.users.get("dcs")
    with audit_context(source="job", reason="演示数据：定时任务（问题逾期升级、生成督办任务）"):
        escalated, synced = [], []
        for day in SYNC_DAYS:
            escalated += problems_escalate(today=day)
            synced.append(supervision.tasks_sync(today=day))
    with audit_context(source="web", actor=dcs, reason="演示数据：督办任务办结"):
        # Half of last month's tasks were closed by the business date; the rest are due or overdue.
        for n, task in enumerate(synced[0].tasks):
            if n % 2 == 0:
                supervision.task_close(actor=dcs, task_id=task.pk, evidence="整改措施已落实，整改报告已报督查室。",
                                       today=min(task.deadline, DEMO_TODAY) - dt.timedelta(days=1 + n % 5))
    manual = [
        # (org, title, measure, created, deadline, follow-ups, close on, extend to)
        ("zhongmou", "加快中牟县汽车零部件产业园项目开工", "倒排工期，7月底前完成施工许可办理并开工。",
         dt.date(2022, 6, 6), dt.date(2022, 7, 29), ["已完成施工图审查", "施工许可已受理"], None, None),
        ("xinmi", "推动新密市已开工项目入库纳统", "逐个项目核实开工情况，符合条件的7月底前全部入库。",
         dt.date(2022, 6, 13), dt.date(2022, 6, 30), ["已入库3个项目"], None, dt.date(2022, 7, 8)),
        ("zrj", "协调重点项目用地指标", "优先保障灾后重建和白名单项目用地，建立周调度台账。",
         dt.date(2022, 6, 20), dt.date(2022, 8, 31), ["已落实12个项目用地指标"], None, None),
        ("czj", "加快专项债券资金支出", "督促各地加快债券资金拨付，8月底前支出进度达到70%。",
         dt.date(2022, 7, 4), dt.date(2022, 8, 5), [], None, None),
        ("jinshui", "金水区重点项目前期手续攻坚", "建立问题清单，明确责任人和时限，逐项销号。",
         dt.date(2022, 6, 1), dt.date(2022, 7, 15), ["已办结手续8项"], dt.date(2022, 7, 12), None),
        ("gxj", "推动工业项目电力增容接入", "会同供电公司建立绿色通道，逐个项目明确接入时间。",
         dt.date(2022, 6, 8), dt.date(2022, 7, 8), ["已接入4个项目"], dt.date(2022, 7, 6), None),
        ("dengfeng", "登封市投资增速提升专项行动", "制定投资增速提升方案，每周报送进展。",
         dt.date(2022, 5, 16), dt.date(2022, 6, 20), [], None, None),
    ]
    with audit_context(source="web", actor=dcs, reason="演示数据：督查室交办任务"):
        made = 0
        for org, title, measure, created, deadline, follow_ups, closed_on, extend_to in manual:
            task = supervision.task_create(actor=dcs, org=ctx.orgs[org], title=title, measure=measure,
                                           deadline=deadline, today=created, assignee=ctx.users.get(org),
                                           assignee_name=getattr(ctx.users.get(org), "full_name", ""))
            for n, note in enumerate(follow_ups):
                supervision.task_follow_up(actor=dcs, task_id=task.pk, note=note,
                                           today=min(created + dt.timedelta(days=25 * (n + 1)), DEMO_TODAY))
            if extend_to is not None:
                supervision.task_extend(actor=dcs, task_id=task.pk, deadline=extend_to, reason="受疫情影响，申请延期",
                                        today=deadline)
            if closed_on is not None:
                supervision.task_close(actor=dcs, task_id=task.pk, evidence="相关批复文件和现场照片已报督查室备案。",
                                       today=closed_on)
            made += 1
        for title, org in (("一周内完成航空港区某项目用地预审", "zrj"), ("协调市政配套管网接入郑东新区项目", "cjj")):
            supervision.meeting_record_decision(actor=dcs, week="2022-W28", org=ctx.orgs[org], title=title,
                                                deadline=dt.date(2022, 7, 22), today=dt.date(2022, 7, 11))
    with audit_context(source="job", reason="演示数据：定时提醒"):
        reminders = scan(today=DEMO_TODAY)
    Notification.objects.update(delivered_at=_at(DEMO_TODAY, 8), created_at=_at(DEMO_TODAY, 8))
    read = [pk for pk in Notification.objects.order_by("id").values_list("pk", flat=True) if pk % 3 == 0]
    Notification.objects.filter(pk__in=read).update(read_at=_at(DEMO_TODAY, 9))
    ctx.count("escalated_problems", len(escalated), "逾期升级的问题")
    ctx.count("supervision_tasks", SupervisionTask.objects.count(), "督办任务")
    ctx.count("supervision_manual_tasks", made, "督查室交办任务")
    ctx.count("supervision_source_tasks", sum(sum(run.created.values()) for run in synced), "由来源生成的督办任务")
    ctx.count("notifications", sum(reminders.values()), "提醒消息")


def reset(ctx: LoadContext) -> None:
    """Delete messages, tasks, meetings and problems (before projects, users and organisations)."""
    for label, key, model in (("提醒消息", "notifications", Notification), ("督办跟进", "task_follow_ups", TaskFollowUp),
                              ("督办任务", "supervision_tasks", SupervisionTask), ("周例会", "meetings", Meeting),
                              ("问题附件", "problem_attachments", ProblemAttachment),
                              ("问题办理记录", "problem_events", ProblemEvent), ("项目问题", "problems", Problem)):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            ctx.count_deleted(key, max(cursor.rowcount, 0), label)


register_step(DemoStep(name="problems_supervision", label="项目问题、督办任务、周例会和提醒消息", order=400,
                       generate=generate, load=load, reset=reset))
