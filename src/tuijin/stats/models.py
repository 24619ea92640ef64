"""Official statistics (DESIGN §4.6): the statistics bureau's monthly FAI figures per unit and category.

These, not sums of project reports, drive growth rankings and escalation. Prior-year
figures (baselines) are the same rows for earlier periods.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.audit.recording import AuditedManager
from tuijin.orgs.models import Org
from tuijin.plan import latest_plan, plan_for, plan_years
from tuijin.toolkit.money import yuan_to_wan
from tuijin.toolkit.periods import period_code

GROWTH_QUANT = Decimal("0.01")


class OfficialStat(models.Model):
    """One figure: an org (a reporting unit or the city), an indicator, a month; year-to-date value and YoY growth."""

    audited = True
    audit_related = ("org",)

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="official_stats",
                            verbose_name=_("organisation"))
    indicator = models.CharField(_("indicator"), max_length=32)  # plan.indicators codes: fai, industrial, …
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    ytd_value_yuan = models.BigIntegerField(_("year to date (yuan)"), null=True, blank=True)
    yoy_growth = models.DecimalField(_("year-on-year growth (%)"), max_digits=7, decimal_places=2, null=True,
                                     blank=True)
    import_batch = models.UUIDField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = AuditedManager()

    class Meta:
        ordering = ["year", "month", "org__sort_order", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["org", "indicator", "year", "month"], name="official_stat_unique"),
        ]
        indexes = [models.Index(fields=["indicator", "year", "month"])]
        verbose_name = _("official statistic")
        verbose_name_plural = _("official statistics")

    def __str__(self) -> str:
        plan = plan_for(self.year) if self.year in plan_years() else latest_plan()
        return f"{self.org.display_name} {plan.indicator_name(self.indicator)} {self.period_code}"

    def audit_snapshot(self) -> dict[str, Any]:
        """What its audit entries show: the org's code, the period, the value and the growth (two decimals)."""
        growth = None if self.yoy_growth is None else str(Decimal(self.yoy_growth).quantize(GROWTH_QUANT))
        return {"org": self.org.code, "indicator": self.indicator, "period": self.period_code,
                "ytd_value_yuan": self.ytd_value_yuan, "yoy_growth": growth}

    @property
    def period_code(self) -> str:
        return period_code(self.year, self.month)

    @property
    def ytd_value(self):
        return yuan_to_wan(self.ytd_value_yuan)


class UnitTarget(models.Model):
    """A unit's annual growth target for one indicator: the plan's default unless the city set another."""

    audited = True
    audit_fields = ("org", "indicator", "year", "growth_target", "set_by", "note", "updated_at")

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    growth_target = models.DecimalField(_("growth target (%)"), max_digits=6, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = AuditedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "indicator", "year"], name="unit_target_unique")]
        verbose_name = _("unit target")
        verbose_name_plural = _("unit targets")

    def __str__(self) -> str:
        return f"{self.org_id} {self.indicator} {self.year}"
