"""The toolkit's one table: the clock's business date (:mod:`tuijin.toolkit.clock`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OneRowAtATime(models.QuerySet):
    """Bulk writes would bypass the audit's save receivers: this table refuses them."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("业务日期只能逐行保存（经 tuijin.toolkit.clock），以便留下审计记录")

    update = bulk_create = bulk_update = delete = _refuse  # type: ignore[assignment]


class BusinessDate(models.Model):
    """The date the platform runs at (one row); ``day`` empty means the real date."""

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    day = models.DateField(_("business date"), null=True, blank=True)
    demo = models.BooleanField(_("set by the demo"), default=False)
    set_by = models.CharField(_("set by"), max_length=150, blank=True)
    set_at = models.DateTimeField(_("set at"), null=True, blank=True)

    objects = OneRowAtATime.as_manager()

    #: Every change is audited (tuijin.audit connects its recorders to models that say so).
    audited = True
    audit_fields = ("day", "demo", "set_by")

    class Meta:
        verbose_name = _("business date")
        verbose_name_plural = _("business date")

    def __str__(self) -> str:
        return f"业务日期 {self.day.isoformat()}" if self.day else "业务日期：实际日期"
