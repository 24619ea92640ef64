"""Writes of supervision (督办, 三(三) "月督办、紧盯不放"): tasks by hand, from sources and from the
weekly meeting; monthly follow-ups; deadline extensions; closing with evidence.

Each write is one transaction; tasks, follow-ups and meetings record their own audit entries (who,
when, before, after) in the caller's audit context, the services give the reason. ``actor`` None is
the system (a periodic job or a command).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.plan import plan_on
from tuijin.projects.models import Project
from tuijin.toolkit import attachments, clock
from tuijin.toolkit.errors import Conflict, NotFound, ValidationFailed
from tuijin.toolkit.periods import parse_week
from tuijin.toolkit.signals import send_on_commit

from . import signals, sources
from .models import MANUAL, MEETING, Meeting, SupervisionTask, TaskFollowUp, TaskStatus

logger = logging.getLogger(__name__)
MAX_TEXT = 2000


def _default_days(today: dt.date) -> int:
    section = plan_on(today).supervision
    return section.default_deadline_days if section is not None else 30


def _text(value: str, field_name: str, label: str, *, required: bool, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(f"请填写{label}", field=field_name)
    if len(value) > limit:
        raise ValidationFailed(f"{label}不能超过{limit}字", field=field_name)
    return value


def _save_new(task: SupervisionTask, reason: str) -> SupervisionTask:
    task.full_clean(validate_constraints=False)
    with audit.reason(reason[:500]):
        task.save()
    send_on_commit(signals.task_assigned, sender=SupervisionTask, task=task, actor=task.created_by)
    return task


def task_create(*, actor: User | None, org: Org, title: str, measure: str = "", deadline: dt.date | None = None,
                today: dt.date, assignee: User | None = None, assignee_name: str = "", link: str = "",
                project: Project | None = None, kind: str = MANUAL, source_key: str = "",
                meeting: Meeting | None = None) -> SupervisionTask:
    """A task by hand (督查室交办): assigned to an organisation and a person, with a measure and deadline."""
    policy.require(policy.acting(actor), "supervise", message="只有市政府督查室可以交办督办任务")
    title = _text(title, "title", "任务名称", required=True, limit=300)
    measure = _text(measure, "measure", "工作举措", required=False)
    if deadline is None:
        deadline = today + dt.timedelta(days=_default_days(today))
    if deadline < today:
        raise ValidationFailed("办理时限不能早于今天", field="deadline")
    if assignee is not None and assignee.org_id != org.pk:
        raise ValidationFailed(f"责任人 {assignee} 不属于{org.name}", field="assignee")
    with transaction.atomic():
        task = SupervisionTask(kind=kind, source_key=source_key, title=title, measure=measure, link=link[:300],
                               org=org, assignee=assignee, assignee_name=(assignee_name or "").strip()[:64],
                               project=project, meeting=meeting, deadline=deadline, original_deadline=deadline,
                               created_on=today, created_by=actor)
        if source_key and SupervisionTask.objects.filter(kind=kind, source_key=source_key).exists():
            raise Conflict("该来源事项已生成督办任务", field="source_key")
        return _save_new(task, f"交办督办任务（{sources.kind_label(kind)}）")


@dataclass
class SyncResult:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    tasks: list[SupervisionTask] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "existing": self.existing, "errors": self.errors,
                "total_created": sum(self.created.values())}


def _candidate_error(kind: str, item: Any) -> str | None:
    if not isinstance(item, dict):
        return f"{kind}：来源事项应为字典"
    key = item.get("key")
    if not isinstance(key, str) or not key.strip() or len(key) > 200:
        return f"{kind}：来源事项缺少有效的 key"
    if not isinstance(item.get("org"), Org):
        return f"{kind}/{key}：来源事项缺少责任单位（org）"
    if not isinstance(item.get("title"), str) or not item["title"].strip():
        return f"{kind}/{key}：来源事项缺少标题"
    days = item.get("deadline_days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        return f"{kind}/{key}：deadline_days 应为非负整数"
    return None


def _existing_keys(kind: str, keys: list[str]) -> set[str]:
    return set(SupervisionTask.objects.filter(kind=kind, source_key__in=keys).values_list("source_key", flat=True))


def tasks_sync(*, today: dt.date, actor: User | None = None, kinds: list[str] | None = None) -> SyncResult:
    """Turn every source item into a task, exactly once per (kind, key) — also when the sync runs twice
    or two syncs race: existing keys are skipped, and the unique constraint turns a lost race into a skip.

    A failing source or a malformed item is reported in ``errors``; the other sources still run.
    """
    policy.require(policy.acting(actor), "supervise", message="只有市政府督查室可以从来源生成督办任务")
    result = SyncResult()
    for kind, fetch in sorted(sources.discover().items()):
        if kinds and kind not in kinds:
            continue
        try:
            items = list(fetch(today))
        except Exception as exc:  # one broken source must not stop the others
            logger.exception("supervision source %s failed", kind)
            result.errors.append(f"{sources.kind_label(kind)}：读取来源失败（{type(exc).__name__}）")
            continue
        good = []
        for item in items:
            problem = _candidate_error(kind, item)
            if problem:
                result.errors.append(problem)
            else:
                good.append(item)
        known = _existing_keys(kind, [item["key"] for item in good])
        created = existing = 0
        seen: set[str] = set()
        for item in good:
            key = item["key"]
            if key in known or key in seen:
                existing += 1
                continue
            seen.add(key)
            days = item.get("deadline_days")
            deadline = today + dt.timedelta(days=_default_days(today) if days is None else days)
            task = SupervisionTask(kind=kind, source_key=key, title=item["title"].strip()[:300],
                                   measure=str(item.get("measure") or "")[:MAX_TEXT],
                                   link=str(item.get("link") or "")[:300], org=item["org"], deadline=deadline,
                                   original_deadline=deadline, created_on=today, created_by=actor)
            try:
                with transaction.atomic():
                    _save_new(task, f"由来源“{sources.kind_label(kind)}”生成督办任务")
            except IntegrityError:  # another sync made it first
                existing += 1
                continue
            created += 1
            result.tasks.append(task)
        result.created[kind] = created
        result.existing[kind] = existing
    return result


def _visible_task(actor: User, task_id: int, *, lock: bool = True) -> SupervisionTask:
    qs = SupervisionTask.objects.visible_to(actor).select_related("org")
    if lock:
        qs = qs.select_for_update()
    task = qs.filter(pk=task_id).first()
    if task is None:
        raise NotFound("督办任务不存在，或不在您的查看范围内")
    return task


def task_follow_up(*, actor: User, task_id: int, note: str, today: dt.date) -> TaskFollowUp:
    """A monthly follow-up entry (月督办) by the assigned organisation or the supervision office."""
    note = _text(note, "note", "跟进情况", required=True)
    with transaction.atomic():
        task = _visible_task(actor, task_id)
        policy.require(actor, "report_on_task", task, message="只有责任单位或市政府督查室可以填写跟进情况")
        if task.status == TaskStatus.CLOSED:
            raise Conflict("任务已办结，不能再填写跟进情况")
        entry = TaskFollowUp(task=task, year=today.year, month=today.month, note=note, author=actor, at=clock.now())
        entry.full_clean()
        with audit.reason("督办任务月度跟进"):
            entry.save()
    return entry


def task_extend(*, actor: User, task_id: int, deadline: dt.date, reason: str, today: dt.date) -> SupervisionTask:
    """The supervision office moves a deadline (counted: an extended task that runs late again is
    repeatedly overdue)."""
    policy.require(actor, "supervise", message="只有市政府督查室可以调整办理时限")
    reason = _text(reason, "reason", "调整原因", required=True)
    with transaction.atomic():
        task = _visible_task(actor, task_id)
        if task.status == TaskStatus.CLOSED:
            raise Conflict("任务已办结，不能调整时限")
        if deadline <= task.deadline or deadline < today:
            raise ValidationFailed("新的办理时限应晚于原时限和今天", field="deadline")
        task.deadline = deadline
        task.extensions += 1
        task.version += 1
        with audit.reason(f"调整办理时限：{reason}"[:500]):
            task.save()
    return task


def task_close(*, actor: User, task_id: int, evidence: str, today: dt.date, upload: BinaryIO | None = None,
               upload_name: str = "") -> SupervisionTask:
    """Close a task: needs evidence (text, and optionally a file checked by content)."""
    evidence = _text(evidence, "evidence", "办结佐证材料说明", required=True)
    stored = attachments.store(upload, name=upload_name) if upload is not None else None
    try:
        with transaction.atomic():
            task = _visible_task(actor, task_id)
            policy.require(actor, "report_on_task", task, message="只有责任单位或市政府督查室可以办结任务")
            if task.status == TaskStatus.CLOSED:
                raise Conflict("任务已办结")
            task.status = TaskStatus.CLOSED
            task.closed_on = today
            task.closed_by = actor
            task.evidence = evidence
            if stored is not None:
                task.evidence_name = stored.original_name
                task.evidence_stored_name = stored.stored_name
                task.evidence_content_type = stored.content_type
            task.version += 1
            with audit.reason("督办任务办结"):
                task.save()
    except Exception:
        if stored is not None:
            attachments.remove_quietly(stored.stored_name)
        raise
    return task


def meeting_record_decision(*, actor: User, week: str, org: Org, title: str, measure: str = "",
                            deadline: dt.date | None = None, assignee_name: str = "",
                            today: dt.date) -> SupervisionTask:
    """Record a decision of the weekly scheduling meeting (周例会, 二(二)6) as a supervision task."""
    policy.require(actor, "supervise", message="只有市政府督查室可以记录周例会议定事项")
    monday, _sunday = parse_week(week)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(week=week).first()
        if meeting is None:
            meeting = Meeting(week=week, held_on=monday, created_by=actor)
            meeting.full_clean()
            with audit.reason("周例会"):
                meeting.save()
        number = SupervisionTask.objects.filter(kind=MEETING, meeting=meeting).count() + 1
        return task_create(actor=actor, org=org, title=title, measure=measure, deadline=deadline, today=today,
                           assignee_name=assignee_name, kind=MEETING, source_key=f"{week}#{number}",
                           meeting=meeting)
