"""Stored results of the assessment machinery: escalations and quarterly evaluations.

Every stored computed result records the plan file's hash that produced it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.audit.recording import AuditedManager
from tuijin.audit.services import snapshot
from tuijin.orgs.models import Org
from tuijin.toolkit.money import yuan_to_wan


class EscalationLevel(models.TextChoices):
    NOTICE = "notice", _("Public criticism notice")
    DEPUTY_TALK = "deputy_talk", _("Talk with the deputy mayor in charge")
    MAYOR_TALK = "mayor_talk", _("Talk with the mayor")


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FOLLOWING = "following", _("Being followed up")
    CLOSED = "closed", _("Closed")


class Escalation(models.Model):
    """A unit in last place for a month (末位约谈制, 三(三)); followed up by the supervision office."""

    audited = True
    audit_fields = ("org", "year", "month", "indicator", "value", "streak", "level", "status", "follow_up",
                    "plan_hash")

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="escalations")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    indicator = models.CharField(max_length=32, default="fai")
    value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    streak = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=16, choices=EscalationLevel.choices)
    status = models.CharField(max_length=16, choices=EscalationStatus.choices, default=EscalationStatus.OPEN)
    follow_up = models.TextField(_("follow-up"), blank=True)
    plan_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuditedManager()

    class Meta:
        ordering = ["-year", "-month", "org__sort_order"]
        constraints = [models.UniqueConstraint(fields=["org", "year", "month", "indicator"],
                                               name="escalation_unique")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}-{self.month:02d} {self.level}"


class Evaluation(models.Model):
    """A quarter's composite evaluation (二(七)21) and awards (二(六)15), frozen with the plan hash."""

    audited = True
    audit_fields = ("year", "quarter", "plan_hash", "computed_at", "computed_by")
    audit_prefetch = ("results__org",)

    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    plan_hash = models.CharField(max_length=64)
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    objects = AuditedManager()

    class Meta:
        ordering = ["-year", "-quarter", "-computed_at"]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.quarter}"

    def audit_snapshot(self) -> dict[str, Any]:
        """What its audit entries show: the run, and each unit's score, rank and award (万元)."""
        data: dict[str, Any] = snapshot(self, self.audit_fields)
        data["results"] = {r.org.code: {"score": str(r.score), "rank": r.rank,
                                        "award_wan": _plain(yuan_to_wan(r.award_yuan))} for r in self.results.all()}
        return data


def _plain(value: Any) -> str:
    """A Decimal without trailing zeros nor exponent: 150.0000 → "150", 37.5000 → "37.5"."""
    return format(value.normalize(), "f")


class EvaluationResult(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="results")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=7, decimal_places=2)
    rank = models.PositiveSmallIntegerField()
    award_yuan = models.BigIntegerField(default=0)
    indicators = models.JSONField(default=dict)  # indicator → {value, target, points, explanation}

    class Meta:
        ordering = ["rank", "org__sort_order"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "org"], name="evaluation_result_unique")]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.org_id} {self.rank}"
