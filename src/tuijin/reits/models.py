"""The infrastructure REITs pipeline (二(五)12、二(六)18): 谋划 → 遴选 → 申报 → 发行 → 运营.

Each entry is one project of the library (scoped by the project's unit), with the national
reserve and registered-locally flags, pre-expenses and the issue; each stage move is dated,
recorded and audited. The list (试点一批 / 储备一批 / 谋划一批) follows from the stage and the
reserve flag (``reits.rules``), never typed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.orgs.models import Org, ScopedQuerySet
from tuijin.projects.models import Project
from tuijin.toolkit.money import yuan_to_wan


class ReitsStage(models.TextChoices):
    PLANNING = "planning", _("Planning")
    SCREENING = "screening", _("Screening")
    FILING = "filing", _("Filing")
    ISSUED = "issued", _("Issued")
    OPERATING = "operating", _("Operating")


class ReitsList(models.TextChoices):
    PILOT = "pilot", _("Pilot batch")
    RESERVE = "reserve", _("Reserve batch")
    PLANNING = "planning", _("Planning batch")


class ReitsEntry(models.Model):
    """One project in the REITs pipeline."""

    scope_field = "unit"
    audited = True
    #: What its audit entries show (tuijin.audit.recording).
    audit_fields = ("unit", "project", "asset_type", "sponsor", "stage", "stage_since", "batch_list",
                    "in_national_reserve", "registered_locally", "pre_expenses_yuan", "planned_size_yuan",
                    "issue_date", "issue_amount_yuan", "operating_since", "notes")

    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporting unit"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reits_entries",
                                verbose_name=_("project"))
    asset_type = models.CharField(_("asset type"), max_length=64, blank=True)
    sponsor = models.CharField(_("original equity holder"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=ReitsStage.choices, default=ReitsStage.PLANNING)
    stage_since = models.DateField(_("in this stage since"))
    batch_list = models.CharField(_("list"), max_length=16, choices=ReitsList.choices, default=ReitsList.PLANNING)
    in_national_reserve = models.BooleanField(_("in the national REITs reserve"), default=False)
    registered_locally = models.BooleanField(_("registered in the city"), default=True)
    pre_expenses_yuan = models.BigIntegerField(_("pre-expenses (yuan)"), default=0)
    planned_size_yuan = models.BigIntegerField(_("planned issue size (yuan)"), null=True, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    issue_amount_yuan = models.BigIntegerField(_("issue amount (yuan)"), null=True, blank=True)
    operating_since = models.DateField(_("operating since"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_order", "id"]
        verbose_name = _("REITs project")
        verbose_name_plural = _("REITs projects")
        constraints = [
            models.UniqueConstraint(fields=["unit", "project"], name="reits_entry_unique"),
            models.CheckConstraint(condition=models.Q(pre_expenses_yuan__gte=0), name="reits_pre_expenses_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.project.name}（REITs）" if self.project_id else "REITs"

    @property
    def pre_expenses_wan(self):
        return yuan_to_wan(self.pre_expenses_yuan)

    @property
    def planned_size_wan(self):
        return yuan_to_wan(self.planned_size_yuan)

    @property
    def issue_amount_wan(self):
        return yuan_to_wan(self.issue_amount_yuan)


class ReitsMove(models.Model):
    """One stage move, dated, with who and why."""

    scope_field = "unit"
    audited = True

    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(ReitsEntry, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=16, choices=ReitsStage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=ReitsStage.choices)
    on = models.DateField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.from_stage} → {self.to_stage}"
