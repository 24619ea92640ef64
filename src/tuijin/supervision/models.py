"""Supervision tasks (督办, 三(三)), their monthly follow-ups, and weekly scheduling meetings (二(二)6).

A task is assigned to an organisation (a unit or a department) and a person, with a measure and a
deadline; a task made from a source (an escalation, a bond-talk list, a stalled deal …) carries its
``kind`` and the source's ``source_key`` and exists once per (kind, key) — a unique constraint.

Scope: the city administrator, leaders and the supervision office see every task; any other user
the tasks assigned to their own organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.audit.recording import AuditedManager
from tuijin.orgs.models import Org, ScopedQuerySet
from tuijin.projects.models import Project

from . import rules

MANUAL, MEETING = "manual", "meeting"


class TaskQuerySet(ScopedQuerySet):
    """Tasks are scoped by the organisation assigned (``scope_by_org``): the policy's read_scope."""


class TaskStatus(models.TextChoices):
    OPEN = rules.OPEN, _("Open")
    CLOSED = rules.CLOSED, _("Closed")


class Meeting(models.Model):
    """A weekly scheduling meeting (周例会, 二(二)6); its decisions become supervision tasks."""

    audited = True

    week = models.CharField(_("week"), max_length=8, unique=True)
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuditedManager()

    class Meta:
        ordering = ["-week"]

    def __str__(self) -> str:
        return self.week


class SupervisionTask(models.Model):
    scope_field = "org"
    scope_by_org = True
    audited = True
    #: What its audit entries show (tuijin.audit.recording).
    audit_fields = ("kind", "source_key", "title", "measure", "link", "org", "assignee", "assignee_name", "project",
                    "meeting", "deadline", "original_deadline", "extensions", "status", "created_on", "created_by",
                    "closed_on", "closed_by", "evidence", "evidence_name", "evidence_stored_name", "version")

    kind = models.CharField(_("source"), max_length=32, default=MANUAL, db_index=True)
    source_key = models.CharField(_("source key"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    measure = models.TextField(_("measure"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="supervision_tasks",
                            verbose_name=_("assigned organisation"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="supervision_tasks", verbose_name=_("assignee"))
    assignee_name = models.CharField(_("responsible person"), max_length=64, blank=True)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("project"))
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="decisions")
    deadline = models.DateField(_("deadline"))
    original_deadline = models.DateField(_("original deadline"))
    extensions = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN,
                              db_index=True)
    created_on = models.DateField(_("created on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_stored_name = models.CharField(max_length=64, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["status", "deadline", "id"]
        constraints = [
            # Each source item becomes a task exactly once, however often or concurrently the sync runs.
            models.UniqueConstraint(fields=["kind", "source_key"], condition=~models.Q(source_key=""),
                                    name="supervision_task_once_per_source_item"),
        ]
        indexes = [models.Index(fields=["org", "status"]), models.Index(fields=["status", "deadline"])]
        verbose_name = _("supervision task")
        verbose_name_plural = _("supervision tasks")

    def __str__(self) -> str:
        return self.title


class TaskFollowUp(models.Model):
    """A monthly follow-up entry (月督办) on a task: what was done, by whom."""

    scope_field = "task__org"
    scope_by_org = True
    audited = True

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="follow_ups")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    note = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.year}-{self.month:02d}"
