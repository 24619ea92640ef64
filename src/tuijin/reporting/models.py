"""Monthly progress reporting (DESIGN §4.5; seed 二(二)5, 二(七)20).

Every reporting unit reports every reportable project's month; the unit submits its
period as a whole; the city approves (locks) or returns it. After approval a change
is a correction request that the city approves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.audit.recording import AuditedManager
from tuijin.orgs.models import Org, ScopedQuerySet
from tuijin.projects.models import Project
from tuijin.toolkit.money import yuan_to_wan


class Period(models.Model):
    """A reporting month ``YYYY-MM``; opened automatically, its deadline from the plan's calendar."""

    code = models.CharField(_("period"), max_length=7, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("submission deadline"))

    class Meta:
        ordering = ["-year", "-month"]
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="period_year_month_unique")]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self) -> str:
        return self.code


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class UnitPeriod(models.Model):
    """One reporting unit's submission for one period (submitted and reviewed as a whole)."""

    scope_field = "unit"
    audited = True
    #: What its audit entries show (tuijin.audit.recording); the entry's label reads unit and period.
    audit_fields = ("unit", "period", "status", "submitted_at", "submitted_by", "late", "reviewed_at", "reviewed_by",
                    "return_reason", "version")
    audit_related = ("unit", "period")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="unit_periods")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="unit_periods")
    status = models.CharField(_("status"), max_length=16, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    late = models.BooleanField(_("late"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    return_reason = models.TextField(_("reason for return"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["period", "unit__sort_order"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="unit_period_unique")]
        verbose_name = _("unit submission")
        verbose_name_plural = _("unit submissions")

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"


class ProgressReport(models.Model):
    """One project's month. ``ytd`` and ``cumulative`` are derived by the services, never typed.

    ``unit`` repeats the project's unit: scoping and (with Citus) distribution go by it.
    """

    scope_field = "unit"
    audited = True
    #: What its audit entries show when the services change a row (the import writes its own, with codes:
    #: tuijin.reporting.importing).
    audit_fields = ("unit", "period", "project", "month_amount_yuan", "ytd_amount_yuan", "cumulative_amount_yuan",
                    "physical_progress", "percent_complete", "started", "notes", "status", "return_reason",
                    "import_batch", "version")

    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="progress_reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="progress_reports")
    month_amount_yuan = models.BigIntegerField(_("investment this month (yuan)"), default=0)
    ytd_amount_yuan = models.BigIntegerField(_("year to date (yuan)"), default=0)
    cumulative_amount_yuan = models.BigIntegerField(_("cumulative since start (yuan)"), default=0)
    physical_progress = models.CharField(_("physical progress"), max_length=500, blank=True)
    percent_complete = models.DecimalField(_("percent complete"), max_digits=5, decimal_places=2, null=True,
                                           blank=True)
    started = models.BooleanField(_("started"), default=False)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT)
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    import_batch = models.UUIDField(_("import batch"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["period", "project"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "project"], name="progress_report_unique"),
            models.CheckConstraint(condition=models.Q(month_amount_yuan__gte=0), name="progress_month_nonneg"),
        ]
        indexes = [
            models.Index(fields=["project", "period"]),
            models.Index(fields=["unit", "period", "status"]),
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.project_id} {self.period_id}"

    @property
    def month_amount(self):
        return yuan_to_wan(self.month_amount_yuan)


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CorrectionRequest(models.Model):
    """A change to an approved (locked) report, applied only when the city approves it."""

    scope_field = "unit"
    audited = True
    audit_fields = ("unit", "report", "changes", "reason", "status", "requested_by", "requested_at", "decided_by",
                    "decided_at", "decision_note")

    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="corrections")
    changes = models.JSONField(_("requested values"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=16, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")

    def __str__(self) -> str:
        return f"{self.report_id} {self.status}"


class UnitMonthSummary(models.Model):
    """Per unit and period: approved project-based sums. Refreshed when a period is approved.

    Rankings, cockpit and bulletins read this, never the raw monthly rows (DESIGN §8).
    """

    scope_field = "unit"
    unit = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    month_amount_yuan = models.BigIntegerField(default=0)
    ytd_amount_yuan = models.BigIntegerField(default=0)
    projects_reported = models.PositiveIntegerField(default=0)
    projects_started = models.PositiveIntegerField(default=0)
    # Key projects (二(二)5; provincial or city key): what the cockpit and bulletins show, so that they
    # never aggregate the raw monthly rows (DESIGN §8).
    key_projects_reported = models.PositiveIntegerField(default=0)
    key_ytd_amount_yuan = models.BigIntegerField(default=0)
    shortfall_982_ytd_amount_yuan = models.BigIntegerField(default=0)
    key_lagging = models.PositiveIntegerField(default=0)
    #: The unit's worst lagging key projects, worst first: [{"project_id", "ytd_yuan", "plan_yuan", "shortfall"}].
    key_worst_lagging = models.JSONField(default=list)
    refreshed_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="unit_month_summary_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period_id}"


class ReportingYear(models.Model):
    """A year opened with ``tuijin year-open`` (issue 15): its periods and targets come from its plan,
    whose id and hash are kept. The platform's first plan year counts as open without a row (and
    without the annual-plan requirement); from an opened year on, a project needs an annual plan for
    that year to be in its reporting scope."""

    audited = True
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    plan_id = models.CharField(_("plan"), max_length=100)
    plan_hash = models.CharField(_("plan hash"), max_length=64)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    objects = AuditedManager()

    class Meta:
        ordering = ["year"]
        verbose_name = _("reporting year")
        verbose_name_plural = _("reporting years")

    def __str__(self) -> str:
        return str(self.year)
