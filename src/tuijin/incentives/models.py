"""Incentives (二(六)15–18): proposals found by the scan (免申即享), applications with evidence, payments.

Money in integer yuan. Every row repeats its project's reporting unit (scope, and the Citus
distribution key); every stored computed figure records the plan hash and the clause.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tuijin.orgs.models import Org, ScopedQuerySet
from tuijin.projects.models import Project
from tuijin.toolkit.money import yuan_to_wan


class IncentiveRule(models.TextChoices):
    INTEREST_SUBSIDY = "interest_subsidy", _("Interest subsidy")
    EQUIPMENT_AWARD = "equipment_award", _("Equipment-investment award")
    REITS_SUBSIDY = "reits_subsidy", _("REITs pre-expense subsidy")
    REITS_ISSUANCE = "reits_issuance", _("REITs issuance award")
    EARLY_START = "early_start", _("Early-start support")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("incentive proposal", "Proposed")
    CONFIRMED = "confirmed", pgettext_lazy("incentive proposal", "Confirmed")
    REJECTED = "rejected", pgettext_lazy("incentive proposal", "Rejected")


class Proposal(models.Model):
    """An award the data supports (免申即享), found by the scan; confirmed or rejected with a reason.

    One per project and rule: re-running the scan updates an undecided proposal's facts, never
    duplicates it. ``amount_yuan`` is None when the amount needs evidence (loan contracts,
    equipment invoices) or is the city's to set (early start).
    """

    scope_field = "unit"
    audited = True
    #: What its audit entries show (tuijin.audit.recording): the facts and the decision, not the scan's times.
    audit_fields = ("unit", "project", "rule", "year", "facts", "reasons", "amount_yuan", "cap_yuan", "years",
                    "clause", "plan_hash", "status", "decided_by", "decided_at", "decision_reason")

    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporting unit"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="incentive_proposals",
                                verbose_name=_("project"))
    rule = models.CharField(_("rule"), max_length=32, choices=IncentiveRule.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    facts = models.JSONField(_("facts used"), default=dict, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    amount_yuan = models.BigIntegerField(_("amount (yuan)"), null=True, blank=True)
    cap_yuan = models.BigIntegerField(_("cap (yuan)"), default=0)
    years = models.PositiveSmallIntegerField(_("years"), null=True, blank=True)
    clause = models.CharField(_("clause"), max_length=32)
    plan_hash = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED)
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    refreshed_at = models.DateTimeField(_("last scanned"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("decision reason"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "id"]
        verbose_name = _("incentive proposal")
        verbose_name_plural = _("incentive proposals")
        constraints = [
            models.UniqueConstraint(fields=["unit", "project", "rule"], name="incentive_proposal_unique"),
            models.CheckConstraint(condition=Q(amount_yuan__isnull=True) | Q(amount_yuan__gte=0),
                                   name="incentive_proposal_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.rule}"

    @property
    def amount_wan(self):
        return yuan_to_wan(self.amount_yuan)

    @property
    def cap_wan(self):
        return yuan_to_wan(self.cap_yuan)


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("incentive application", "Submitted")
    REVIEWED = "reviewed", pgettext_lazy("incentive application", "Reviewed")
    APPROVED = "approved", pgettext_lazy("incentive application", "Approved")
    PAID = "paid", pgettext_lazy("incentive application", "Paid")
    REJECTED = "rejected", pgettext_lazy("incentive application", "Rejected")


LIVE_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED, ApplicationStatus.APPROVED,
                 ApplicationStatus.PAID)
COMMITTED_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.PAID)


class Application(models.Model):
    """A claim with evidence: submitted → reviewed (responsible department) → approved (财政局) → paid,
    or rejected with a reason. One live application per project, rule and period: never paid twice."""

    scope_field = "unit"
    audited = True
    #: What its audit entries show (tuijin.audit.recording): the claim, the amounts and the state (who and
    #: when are the entry's own head).
    audit_fields = ("unit", "project", "proposal", "rule", "period", "owner_name", "owner_uscc", "inputs",
                    "requested_amount_yuan", "cap_yuan", "clause", "plan_hash", "case_by_case",
                    "case_by_case_reason", "approved_amount_yuan", "paid_amount_yuan", "payment_reference",
                    "status", "reject_reason")

    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporting unit"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="incentive_applications",
                                verbose_name=_("project"))
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="applications")
    rule = models.CharField(_("rule"), max_length=32, choices=IncentiveRule.choices)
    period = models.PositiveSmallIntegerField(_("period (year)"))
    owner_name = models.CharField(_("owner"), max_length=200)
    owner_uscc = models.CharField(_("owner USCC"), max_length=18, blank=True)
    inputs = models.JSONField(_("declared figures"), default=dict, blank=True)
    requested_amount_yuan = models.BigIntegerField(_("requested amount (yuan)"))
    cap_yuan = models.BigIntegerField(_("cap (yuan)"))
    clause = models.CharField(_("clause"), max_length=32)
    plan_hash = models.CharField(max_length=64)
    reasons = models.JSONField(default=list, blank=True)
    case_by_case = models.BooleanField(_("case by case"), default=False)
    case_by_case_reason = models.CharField(_("case-by-case reason"), max_length=500, blank=True)
    approved_amount_yuan = models.BigIntegerField(_("approved amount (yuan)"), null=True, blank=True)
    paid_amount_yuan = models.BigIntegerField(_("paid amount (yuan)"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    paid_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    rejected_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("incentive application")
        verbose_name_plural = _("incentive applications")
        constraints = [
            # Never paid twice: one live (not rejected) application per project, rule and period.
            models.UniqueConstraint(fields=["unit", "project", "rule", "period"],
                                    condition=~Q(status="rejected"), name="incentive_application_live_unique"),
            models.CheckConstraint(condition=Q(requested_amount_yuan__gte=0), name="incentive_requested_nonneg"),
            models.CheckConstraint(
                condition=Q(approved_amount_yuan__isnull=True) | Q(approved_amount_yuan__gte=0)
                & (Q(approved_amount_yuan__lte=models.F("cap_yuan")) | Q(case_by_case=True)),
                name="incentive_approved_within_cap"),
            models.CheckConstraint(
                condition=Q(paid_amount_yuan__isnull=True) | Q(paid_amount_yuan__lte=models.F("approved_amount_yuan")),
                name="incentive_paid_within_approved"),
        ]
        indexes = [models.Index(fields=["project", "rule"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.rule} {self.period}"

    @property
    def requested_amount_wan(self):
        return yuan_to_wan(self.requested_amount_yuan)

    @property
    def approved_amount_wan(self):
        return yuan_to_wan(self.approved_amount_yuan)

    @property
    def paid_amount_wan(self):
        return yuan_to_wan(self.paid_amount_yuan)

    @property
    def cap_wan(self):
        return yuan_to_wan(self.cap_yuan)


class Attachment(models.Model):
    """Evidence of an application, stored under a random name outside every served folder."""

    scope_field = "unit"
    audited = True
    #: What its audit entries show (tuijin.audit.recording): the file, not where it is stored.
    audit_fields = ("application", "original_name", "content_type", "size", "sha256")

    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=32, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
