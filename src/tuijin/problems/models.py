"""The problem ledger (问题台账, 万人助万企 二(五)14): a project's obstacles, routed to a department.

Scope (DESIGN §4.2): the city administrator, leaders and the supervision office see every problem;
a department sees the problems routed to it; a reporting unit its own unit's problems.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.orgs.models import Org, ScopedQuerySet
from tuijin.projects.models import Project

from . import rules


class ProblemStatus(models.TextChoices):
    RAISED = rules.RAISED, _("Raised")
    ACCEPTED = rules.ACCEPTED, _("Accepted")
    IN_PROGRESS = rules.IN_PROGRESS, _("In progress")
    RESOLVED = rules.RESOLVED, _("Resolved")
    CLOSED = rules.CLOSED, _("Closed")
    RETURNED = rules.RETURNED, _("Returned")


class EscalationLevel(models.TextChoices):
    NONE = "", _("Not escalated")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    SUPERVISION = "supervision", _("Supervision office")


class ProblemQuerySet(ScopedQuerySet):
    """City roles see all; a department the problems routed to it (``department_field``); a unit its own
    (else none): the policy's read_scope."""

    def open(self) -> ProblemQuerySet:
        return self.filter(status__in=rules.OPEN_STATES)


class Problem(models.Model):
    """One obstacle of one project, from raising to the raiser's confirmation of closure."""

    scope_field = "unit"
    department_field = "department"
    audited = True
    #: What its audit entries show (tuijin.audit.recording): every field but the creation time.
    audit_fields = ("unit", "project", "category", "title", "description", "department", "status", "raised_by",
                    "raiser_org", "raised_on", "deadline", "escalation_level", "escalated_on", "accepted_on",
                    "resolved_on", "closed_on", "resolution", "plan_hash", "version")

    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="problems", verbose_name=_("reporting unit"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="problems", verbose_name=_("project"))
    category = models.CharField(_("category"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="routed_problems",
                                   verbose_name=_("responsible department"))
    status = models.CharField(_("status"), max_length=16, choices=ProblemStatus.choices,
                              default=ProblemStatus.RAISED, db_index=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("raised by"))
    raiser_org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by (organisation)"))
    raised_on = models.DateField(_("raised on"))
    deadline = models.DateField(_("deadline"))
    escalation_level = models.CharField(_("escalation"), max_length=16, choices=EscalationLevel.choices,
                                        default=EscalationLevel.NONE, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    plan_hash = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["unit", "status"]),
                   models.Index(fields=["status", "deadline"])]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        return rules.STATE_LABELS.get(self.status, self.status)

    def is_overdue(self, today) -> bool:
        return rules.is_overdue(status=self.status, deadline=self.deadline, today=today)


class ProblemEvent(models.Model):
    """A step, comment or attachment on a problem (the timeline shown on its page)."""

    scope_field = "problem__unit"
    department_field = "problem__department"
    audited = True

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)  # raise / accept / … / comment / attach / escalate / reroute
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.action}"


class ProblemAttachment(models.Model):
    """A file attached to a problem: stored under a random name outside served folders."""

    scope_field = "problem__unit"
    department_field = "problem__department"
    audited = True

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
