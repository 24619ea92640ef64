"""Writes of the problem ledger (万人助万企, 二(五)14; overdue ladder 三(三)).

Each write is one transaction, leaves a timeline event on the problem, and the rows record their own
audit entries (who, when, before and after) in the caller's audit context; the services give the
reason. ``today`` is passed in (pages and commands pass ``clock.today()``); the plan governing ``today``
(its year's, as amended then) routes problems and sets the overdue ladder.
"""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from django.db import transaction

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.plan import Plan, plan_for, plan_years
from tuijin.projects.models import Project
from tuijin.toolkit import attachments, clock
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from tuijin.toolkit.signals import send_on_commit

from . import rules, signals
from .models import Problem, ProblemAttachment, ProblemEvent

MAX_NOTE = 2000


def plan_on(day: dt.date) -> Plan:
    """The plan governing ``day``: its year's plan as amended on that day (a year without a plan file:
    the latest plan before it)."""
    years = plan_years()
    if day.year in years:
        return plan_for(day.year, on=day)
    earlier = [y for y in years if y < day.year]  # a year without a plan file: the latest plan before it
    return plan_for(earlier[-1] if earlier else years[0])


def category_codes() -> list[str]:
    """Every problem category of the platform city's plans, of any year (for the API's schema)."""
    return sorted({route.category for year in plan_years() for route in (plan_for(year).problems.routing
                                                                        if plan_for(year).problems else ())})


def _problems_section(today: dt.date) -> Plan:
    plan = plan_on(today)
    if plan.problems is None:
        raise ValidationFailed("方案文件缺少 problems（问题台账）一节，无法分派问题")
    return plan


def route(category: str, *, today: dt.date) -> tuple[Org, int, str]:
    """The responsible department, the working days allowed and the category's name (二(五)14), by the
    plan governing ``today``."""
    plan = _problems_section(today)
    try:
        department_code = plan.problems.department_for(category)
        working_days = plan.rules.problem_deadlines.working_days(category)
    except KeyError:
        codes = "、".join(f"{c.code}（{c.name}）" for c in plan.rules.problem_deadlines.categories)
        raise ValidationFailed(f"问题类别“{category}”无效，应为：{codes}", field="category") from None
    name = next(c.name for c in plan.rules.problem_deadlines.categories if c.code == category)
    department = Org.objects.filter(code=department_code).first()
    if department is None:
        raise NotFound(f"责任部门“{department_code}”不在组织机构中，请先同步方案中的部门")
    return department, working_days, name


def ladder(today: dt.date) -> list[tuple[int, str]]:
    """The overdue ladder of the plan governing ``today``, ``[(overdue working days, level), …]`` (三(三))."""
    return [(step.overdue_working_days, step.level) for step in _problems_section(today).problems.escalation]


def _event(problem: Problem, *, action: str, actor: User | None, note: str = "", before: str = "",
           after: str = "") -> ProblemEvent:
    event = ProblemEvent(problem=problem, action=action, from_status=before, to_status=after, note=note, at=clock.now(),
                         actor=actor if actor is not None and actor.is_authenticated else None)
    # The note is the entry's reason; without one it keeps the context's.
    with audit.reason(note[:500]):
        event.save()
    return event


def _text(value: str, field: str, label: str, *, required: bool, limit: int = MAX_NOTE) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(f"请填写{label}", field=field)
    if len(value) > limit:
        raise ValidationFailed(f"{label}不能超过{limit}字", field=field)
    return value


def problem_raise(*, actor: User, project_id: int, category: str, title: str, description: str = "",
                  today: dt.date) -> Problem:
    """A unit (or the city administrator) raises a project's problem; routed and given its deadline.

    The department is the plan's ``problems.routing`` of the category; the deadline is
    ``rules.problem_deadlines`` working days after ``today`` (二(五)14).
    """
    policy.require(actor, "write_business_data", message="只有报送单位或市发展改革委可以提交项目问题")
    project = Project.objects.editable_by(actor).select_related("unit").filter(pk=project_id).first()
    if project is None:
        raise NotFound("项目不存在，或不在您的范围内")
    title = _text(title, "title", "问题标题", required=True, limit=200)
    description = _text(description, "description", "问题描述", required=False)
    department, working_days, _name = route(category, today=today)
    plan = plan_on(today)
    with transaction.atomic():
        problem = Problem(unit=project.unit, project=project, category=category, title=title,
                          description=description, department=department, raised_by=actor,
                          raiser_org=actor.org, raised_on=today,
                          deadline=rules.problem_deadline(today, working_days), plan_hash=plan.hash)
        problem.full_clean()
        with audit.reason(f"提交项目问题，分派至{department.name}"):
            problem.save()
        _event(problem, action="raise", actor=actor, after=problem.status,
               note=f"分派至{department.name}，办理时限{working_days}个工作日（至{problem.deadline:%Y-%m-%d}）")
        send_on_commit(signals.problem_routed, sender=Problem, problem=problem, actor=actor, rerouted=False)
    return problem


def _locked(actor: User, problem_id: int) -> Problem:
    problem = (Problem.objects.visible_to(actor).select_for_update().filter(pk=problem_id).first())
    if problem is None:
        raise NotFound("问题不存在，或不在您的查看范围内")
    return problem


def problem_act(*, actor: User, problem_id: int, action: str, note: str = "", today: dt.date) -> Problem:
    """One step of a problem: the department accepts, works, resolves or returns it; only the raiser's
    organisation confirms closure (or reopens) and resubmits a returned problem."""
    with transaction.atomic():
        problem = _locked(actor, problem_id)
        try:
            target, who, needs_note = rules.transition(action, problem.status)
        except ValueError as exc:
            raise Conflict(str(exc), field="action") from None
        if who == rules.DEPARTMENT and actor.org_id != problem.department_id:
            raise PermissionRefused(f"只有责任部门（{problem.department.name}）可以“{rules.ACTION_LABELS[action]}”")
        if who == rules.RAISER and actor.org_id != problem.raiser_org_id:
            raise PermissionRefused(f"只有提出问题的单位（{problem.raiser_org.name}）可以“{rules.ACTION_LABELS[action]}”")
        note = _text(note, "note", "处理意见" if who == rules.DEPARTMENT else "说明", required=needs_note)
        previous = problem.status
        problem.status = target
        if action == "accept":
            problem.accepted_on = today
        elif action == "resolve":
            problem.resolved_on = today
            problem.resolution = note
        elif action == "close":
            problem.closed_on = today
        elif action == "reopen":
            problem.resolved_on = None
        elif action == "resubmit":
            problem.accepted_on = None
        problem.version += 1
        problem.full_clean()
        with audit.reason(f"{rules.ACTION_LABELS[action]}{('：' + note) if note else ''}"[:500]):
            problem.save()
        _event(problem, action=action, actor=actor, note=note, before=previous, after=target)
    return problem


def problem_reroute(*, actor: User, problem_id: int, department_code: str, reason: str,
                    today: dt.date) -> Problem:
    """The city administrator sends a wrongly routed problem to another department (before it is
    resolved). It starts again as raised there, with the category's time allowed counted from ``today``."""
    policy.require(actor, "manage_city_data", message="只有市发展改革委可以改派问题")
    reason = _text(reason, "reason", "改派原因", required=True)
    department = Org.objects.departments().filter(code=department_code).first()
    if department is None:
        raise ValidationFailed(f"部门“{department_code}”不存在", field="department")
    with transaction.atomic():
        problem = _locked(actor, problem_id)
        if problem.status not in (rules.RAISED, rules.ACCEPTED, rules.RETURNED, rules.IN_PROGRESS):
            raise Conflict(f"问题当前为“{problem.status_label}”，不能改派", field="department")
        if department.pk == problem.department_id:
            raise ValidationFailed("问题已由该部门办理", field="department")
        _department, working_days, _name = route(problem.category, today=today)
        previous = problem.status
        problem.department = department
        problem.status = rules.RAISED
        problem.accepted_on = None
        problem.escalation_level = ""
        problem.escalated_on = None
        problem.deadline = rules.problem_deadline(today, working_days)
        problem.version += 1
        problem.full_clean()
        with audit.reason(f"改派至{department.name}：{reason}"[:500]):
            problem.save()
        _event(problem, action="reroute", actor=actor, before=previous, after=rules.RAISED,
               note=f"改派至{department.name}（办理时限至{problem.deadline:%Y-%m-%d}）：{reason}")
        send_on_commit(signals.problem_routed, sender=Problem, problem=problem, actor=actor, rerouted=True)
    return problem


def problem_comment(*, actor: User, problem_id: int, text: str) -> ProblemEvent:
    """A comment by anyone who sees the problem (audited)."""
    text = _text(text, "text", "意见", required=True)
    with transaction.atomic():
        problem = _locked(actor, problem_id)
        return _event(problem, action="comment", actor=actor, note=text)


def problem_attach(*, actor: User, problem_id: int, upload: BinaryIO, name: str) -> ProblemAttachment:
    """Attach a file (checked by content, stored under a random name; audited)."""
    problem = Problem.objects.visible_to(actor).filter(pk=problem_id).first()
    if problem is None:
        raise NotFound("问题不存在，或不在您的查看范围内")
    stored = attachments.store(upload, name=name)
    try:
        with transaction.atomic():
            attachment = ProblemAttachment(problem=problem, original_name=stored.original_name,
                                           stored_name=stored.stored_name, content_type=stored.content_type,
                                           size=stored.size, sha256=stored.sha256, uploaded_by=actor)
            attachment.full_clean()
            attachment.save()
            _event(problem, action="attach", actor=actor, note=stored.original_name)
    except Exception:
        attachments.remove_quietly(stored.stored_name)
        raise
    return attachment


def problems_escalate(*, today: dt.date) -> list[Problem]:
    """Climb the overdue ladder (三(三)): overdue open problems go to the department head, then to the
    supervision office, at the plan's working-day boundaries. Idempotent; never climbs down. Audited."""
    steps = ladder(today)
    changed: list[Problem] = []
    with transaction.atomic():
        candidates = (Problem.objects.select_for_update().open().filter(deadline__lt=today)
                      .exclude(escalation_level=steps[-1][1]).order_by("id"))
        for problem in candidates:
            level = rules.escalation_level(deadline=problem.deadline, today=today, ladder=steps)
            if rules.LEVEL_ORDER[level] <= rules.LEVEL_ORDER[problem.escalation_level]:
                continue
            overdue = rules.working_days_after(problem.deadline, today)
            note = f"逾期{overdue}个工作日，{rules.LEVEL_LABELS[level]}"
            problem.escalation_level = level
            problem.escalated_on = today
            problem.version += 1
            with audit.reason(note):
                problem.save()
            _event(problem, action="escalate", actor=None, note=note)
            changed.append(problem)
    return changed
