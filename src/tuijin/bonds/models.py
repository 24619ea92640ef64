"""Special bonds (地方政府专项债券, 二(二)8). Money as integer yuan (DESIGN §4.0).

Every row carries its reporting unit (``unit``) so that scope is one filter and the tables
can be distributed by unit (DESIGN §2, Citus).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.audit.recording import AuditedManager
from tuijin.orgs.models import Org, ScopedQuerySet
from tuijin.projects.models import Project


class BondBatch(models.Model):
    """A batch of quotas handed down (已下达批次), e.g. 2022年第一批. City-wide reference data."""

    audited = True
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("batch number"))
    name = models.CharField(_("name"), max_length=100)
    issued_on = models.DateField(_("handed down on"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        ordering = ["year", "number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="bond_batch_unique")]

    def __str__(self) -> str:
        return self.name


class BondQuota(models.Model):
    """A project's quota in a batch (额度)."""

    scope_field = "unit"
    audited = True
    batch = models.ForeignKey(BondBatch, on_delete=models.PROTECT, related_name="quotas")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="bond_quotas")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    amount_yuan = models.BigIntegerField(_("quota (yuan)"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "unit__sort_order", "-amount_yuan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "batch", "project"], name="bond_quota_unique"),
            models.CheckConstraint(condition=models.Q(amount_yuan__gt=0), name="bond_quota_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.project_id}"


class BondIssuance(models.Model):
    """Bonds issued for a quota (发行): date and amount."""

    scope_field = "unit"
    audited = True
    quota = models.ForeignKey(BondQuota, on_delete=models.PROTECT, related_name="issuances")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issued on"))
    amount_yuan = models.BigIntegerField(_("issued (yuan)"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["issued_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_yuan__gt=0), name="bond_issuance_positive")]

    def __str__(self) -> str:
        return f"{self.quota_id} {self.issued_on}"


class SpendingSource(models.TextChoices):
    LEDGER = "ledger", _("Bond ledger import")
    REPORT = "report", _("Approved monthly report")


class BondSpending(models.Model):
    """Bond money spent on a project in one month (支出)."""

    scope_field = "unit"
    audited = True
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="bond_spending")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    amount_yuan = models.BigIntegerField(_("spent (yuan)"))
    source = models.CharField(_("source"), max_length=16, choices=SpendingSource.choices,
                              default=SpendingSource.LEDGER)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["year", "month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "project", "year", "month"], name="bond_spending_unique"),
            models.CheckConstraint(condition=models.Q(amount_yuan__gte=0), name="bond_spending_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}-{self.month:02d}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    PASSED = "passed", _("Passed review")
    REJECTED = "rejected", _("Failed review")


class SupplementaryApplication(models.Model):
    """A supplementary bond application (专项债补充申报) and its review state."""

    scope_field = "unit"
    audited = True
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("project name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    amount_yuan = models.BigIntegerField(_("amount applied for (yuan)"))
    submitted_on = models.DateField(_("submitted on"))
    status = models.CharField(_("review state"), max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_yuan__gt=0), name="bond_application_positive")]

    def __str__(self) -> str:
        return self.name


class ComplianceViolation(models.Model):
    """A recorded irregularity in the use of bond money (规范性)."""

    scope_field = "unit"
    audited = True
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.occurred_on}"
