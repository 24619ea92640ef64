"""Projects and the four libraries (DESIGN §4.4)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.audit.services import snapshot
from tuijin.orgs.models import Org, ScopedQuerySet
from tuijin.toolkit.money import yuan_to_wan


class Stage(models.TextChoices):
    RESERVE = "reserve", _("Reserve library")
    READY = "ready", _("Ready-to-start library")
    CONSTRUCTION = "construction", _("Under construction")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Nature(models.TextChoices):
    NEW = "new", _("New build")
    EXPANSION = "expansion", _("Expansion")
    RENOVATION = "renovation", _("Renovation")


class InvestmentType(models.TextChoices):
    GOVERNMENT = "government", _("Government investment")
    ENTERPRISE = "enterprise", _("Enterprise investment")


class Tag(models.TextChoices):
    PROVINCIAL_KEY = "provincial_key", _("Provincial key project")
    CITY_KEY = "city_key", _("City key project")
    SHORTFALL_982 = "shortfall_982", _("\"982\" shortfall project")
    RECONSTRUCTION = "reconstruction", _("Post-flood reconstruction")
    SPECIAL_BOND = "special_bond", _("Special bond project")
    WHITELIST = "whitelist", _("Priority whitelist")
    LAND_SUPPORT = "land_support", _("National land support")
    REITS = "reits", _("Infrastructure REITs")
    PROMOTION = "promotion", _("Investment promotion")


KEY_PROJECT_TAGS = (Tag.PROVINCIAL_KEY, Tag.CITY_KEY)


class ProjectQuerySet(ScopedQuerySet):
    def key_projects(self) -> ProjectQuerySet:
        return self.filter(tag_links__tag__in=KEY_PROJECT_TAGS).distinct()


class Project(models.Model):
    scope_field = "unit"
    audited = True
    #: What its audit entries show (with the unit's code, tags, departments and annual plans: audit_snapshot).
    audit_fields = ("project_code", "name", "unit", "owner_name", "owner_uscc", "category", "field",
                    "leading_industry", "nature", "investment_type", "total_investment_yuan", "stage",
                    "planned_start", "planned_end", "actual_start", "actual_end", "address", "lat", "lon", "content",
                    "contact_name", "contact_phone", "leader", "in_statistics", "statistics_date", "green_channel",
                    "green_channel_reason", "in_production_on", "at_capacity_on", "reconstruction_category",
                    "reservoir_name", "maturity", "land_need_mu", "land_quota_status", "land_priority",
                    "whitelist_quarter", "version")
    audit_related = ("unit",)
    audit_prefetch = ("tag_links", "departments", "annual_plans")

    # NULL, not "", for "no code yet": the unique constraint must not clash on empty codes.
    project_code = models.CharField(_("project code"), max_length=24, null=True, blank=True)  # noqa: DJ001
    name = models.CharField(_("project name"), max_length=200)
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="projects", verbose_name=_("reporting unit"))
    departments = models.ManyToManyField(Org, blank=True, related_name="responsible_projects",
                                         verbose_name=_("responsible departments"))
    owner_name = models.CharField(_("owner"), max_length=200, blank=True)
    owner_uscc = models.CharField(_("owner USCC"), max_length=18, blank=True)
    category = models.CharField(_("category"), max_length=32)
    field = models.CharField(_("field"), max_length=32)
    leading_industry = models.CharField(_("leading industry"), max_length=32, blank=True)
    nature = models.CharField(_("nature"), max_length=16, choices=Nature.choices, default=Nature.NEW)
    investment_type = models.CharField(_("investment type"), max_length=16, choices=InvestmentType.choices,
                                       default=InvestmentType.ENTERPRISE)
    total_investment_yuan = models.BigIntegerField(_("total investment (yuan)"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.RESERVE, db_index=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned completion"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual completion"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    content = models.TextField(_("construction content"), blank=True)
    contact_name = models.CharField(_("contact"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    leader = models.CharField(_("responsible city leader"), max_length=64, blank=True)
    in_statistics = models.BooleanField(_("in statistics"), default=False)
    statistics_date = models.DateField(_("statistics inclusion date"), null=True, blank=True)
    green_channel = models.BooleanField(_("green channel"), default=False)
    green_channel_reason = models.CharField(_("green channel reason"), max_length=200, blank=True)
    # Programmes (二(二)6–7, 二(三)9, 二(五)13): milestones, reconstruction, reserve maturity, land.
    in_production_on = models.DateField(_("in production on"), null=True, blank=True)
    at_capacity_on = models.DateField(_("at capacity on"), null=True, blank=True)
    reconstruction_category = models.CharField(_("reconstruction category"), max_length=32, blank=True)
    reservoir_name = models.CharField(_("reservoir"), max_length=100, blank=True)
    maturity = models.CharField(_("maturity"), max_length=32, blank=True)
    land_need_mu = models.DecimalField(_("land need (mu)"), max_digits=12, decimal_places=2, null=True, blank=True)
    land_quota_status = models.CharField(_("land quota status"), max_length=32, blank=True)
    land_priority = models.PositiveIntegerField(_("land quota priority"), null=True, blank=True)
    whitelist_quarter = models.CharField(_("whitelist quarter"), max_length=6, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_order", "-total_investment_yuan", "id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            # Codes are unique city-wide (checked in services); the constraint carries the
            # unit key so that it holds when the table is distributed by unit (Citus).
            models.UniqueConstraint(fields=["unit", "project_code"], name="project_code_unique_in_unit"),
            models.CheckConstraint(condition=models.Q(total_investment_yuan__gte=0), name="project_total_nonneg"),
        ]
        indexes = [
            models.Index(fields=["project_code"]),
            models.Index(fields=["unit", "stage"]),
            models.Index(fields=["field"]),
            models.Index(fields=["category"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_investment(self):
        return yuan_to_wan(self.total_investment_yuan)

    def audit_snapshot(self) -> dict[str, Any]:
        """The audited state of a project: its fields, the unit's code, tags, departments and annual plans."""
        data = snapshot(self, self.audit_fields)
        data["unit"] = self.unit.code if self.unit_id else None
        data["tags"] = sorted(t.tag for t in self.tag_links.all())
        data["departments"] = sorted(d.code for d in self.departments.all())
        data["annual_plans"] = {str(p.year): p.amount_yuan for p in self.annual_plans.all()}
        return data

    def tag_codes(self) -> list[str]:
        """Tag codes; uses the prefetched links when present."""
        return sorted(link.tag for link in self.tag_links.all())


class ProjectTag(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.CharField(max_length=32, choices=Tag.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "tag"], name="project_tag_unique")]
        indexes = [models.Index(fields=["tag", "project"])]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.tag}"


class AnnualPlan(models.Model):
    """A project's planned investment for one year (年度计划投资)."""

    scope_field = "project__unit"
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="annual_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    amount_yuan = models.BigIntegerField(_("planned investment (yuan)"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="annual_plan_unique"),
            models.CheckConstraint(condition=models.Q(amount_yuan__gte=0), name="annual_plan_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}"

    @property
    def amount(self):
        return yuan_to_wan(self.amount_yuan)


class StageMove(models.Model):
    """One move between libraries, with who, when and why."""

    scope_field = "project__unit"
    audited = True
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_moves")
    from_stage = models.CharField(max_length=16, choices=Stage.choices)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_stage} → {self.to_stage}"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Approved")


class ApprovalItem(models.Model):
    """One approval procedure a project needs (联审联批事项), from the plan's catalogue."""

    scope_field = "project__unit"
    audited = True  # every field (as the services' entries always showed)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="approval_items")
    code = models.CharField(_("item"), max_length=32)
    name = models.CharField(_("item name"), max_length=100)
    department = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("approving department"))
    status = models.CharField(_("status"), max_length=16, choices=ApprovalStatus.choices,
                              default=ApprovalStatus.PENDING)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="approval_item_unique")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.name}"


class FundingSource(models.Model):
    """One source of a project's funds (二(五)12): planned and in place, integer yuan."""

    scope_field = "project__unit"
    audited = True
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_sources")
    source = models.CharField(_("fund source"), max_length=32)
    planned_yuan = models.BigIntegerField(_("planned (yuan)"), default=0)
    in_place_yuan = models.BigIntegerField(_("in place (yuan)"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="funding_source_unique"),
            models.CheckConstraint(condition=models.Q(planned_yuan__gte=0) & models.Q(in_place_yuan__gte=0),
                                   name="funding_source_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.source}"
