"""Investment-promotion deals (招商引资, 二(四)10–11). Money as integer yuan (DESIGN §4.0)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.audit.recording import AuditedManager
from tuijin.audit.services import snapshot
from tuijin.orgs.models import Org, ScopedQuerySet
from tuijin.projects.models import Project


class DealStage(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    REGISTERED = "registered", _("Registered")
    STARTED = "started", _("Construction started")
    PRODUCING = "producing", _("In production")


#: The date field each stage sets when a deal reaches it.
STAGE_DATE_FIELD = {
    DealStage.NEGOTIATING: "negotiating_since",
    DealStage.SIGNED: "signed_on",
    DealStage.REGISTERED: "registered_on",
    DealStage.STARTED: "started_on",
    DealStage.PRODUCING: "producing_on",
}


class SigningEvent(models.Model):
    """A big-event signing (重大活动集中签约) whose deals are tracked as a group."""

    audited = True
    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)

    objects = AuditedManager()

    class Meta:
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return self.name


class Deal(models.Model):
    """A promotion deal of a reporting unit, moving 在谈 → 签约 → 注册 → 开工 → 投产."""

    scope_field = "unit"
    audited = True
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="deals", verbose_name=_("reporting unit"))
    name = models.CharField(_("deal name"), max_length=200)
    investor = models.CharField(_("investor"), max_length=200)
    amount_yuan = models.BigIntegerField(_("amount (yuan)"))
    leading_industry = models.CharField(_("leading industry chain"), max_length=32, blank=True)
    category = models.CharField(_("category"), max_length=32, default="industrial")
    field = models.CharField(_("field"), max_length=32, default="advanced_manufacturing")
    stage = models.CharField(_("stage"), max_length=16, choices=DealStage.choices, default=DealStage.NEGOTIATING,
                             db_index=True)
    negotiating_since = models.DateField(_("negotiating since"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    producing_on = models.DateField(_("in production on"), null=True, blank=True)
    last_move_on = models.DateField(_("last move"))
    leader = models.CharField(_("responsible leader"), max_length=64, blank=True)
    principal_leader = models.BooleanField(_("led by the unit's principal leader"), default=False)
    task_force = models.CharField(_("task force"), max_length=200, blank=True)
    signing_event = models.ForeignKey(SigningEvent, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="deals", verbose_name=_("big-event signing"))
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="deals",
                                verbose_name=_("project in the library"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_order", "-amount_yuan", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_yuan__gt=0), name="deal_amount_positive")]
        indexes = [models.Index(fields=["unit", "stage"]), models.Index(fields=["signed_on"])]

    def __str__(self) -> str:
        return self.name

    def audit_snapshot(self) -> dict[str, Any]:
        """Every field, the unit by its code (what the deal pages and the audit page show)."""
        data = snapshot(self)
        data["unit"] = self.unit.code
        return data


class DealMove(models.Model):
    """One dated move of a deal to its next stage, with who and when it was recorded."""

    scope_field = "deal__unit"
    audited = True
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=16, choices=DealStage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=DealStage.choices)
    moved_on = models.DateField(_("date"))
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["moved_on", "id"]
        indexes = [models.Index(fields=["moved_on"])]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.from_stage} → {self.to_stage}"
