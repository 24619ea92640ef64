"""三个一批 batches (二(二)6): numbered batches with their signed, start and production lists."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuijin.audit.recording import AuditedManager
from tuijin.orgs.models import Org, ScopedQuerySet
from tuijin.projects.models import Project


class Batch(models.Model):
    """One province-wide 三个一批 campaign batch (期), held on a date. City-level: every business user sees it."""

    audited = True
    number = models.PositiveSmallIntegerField(_("batch number"), unique=True)
    held_on = models.DateField(_("held on"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    objects = AuditedManager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")

    def __str__(self) -> str:
        return self.name or f"第{self.number}期"


class ListKind(models.TextChoices):
    SIGNED = "signed", _("Signed")
    STARTED = "started", _("Start")
    PRODUCING = "producing", _("Production")


class BatchEntry(models.Model):
    """A project on one of a batch's lists. ``unit`` repeats the project's unit (scope, Citus)."""

    scope_field = "unit"
    audited = True
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("list"), max_length=16, choices=ListKind.choices)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="batch_entries")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    company_registered = models.BooleanField(_("company registered"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "batch", "kind", "project"], name="batch_entry_unique")]
        indexes = [models.Index(fields=["batch", "kind", "unit"])]
        verbose_name = _("batch entry")
        verbose_name_plural = _("batch entries")

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.kind}:{self.project_id}"
