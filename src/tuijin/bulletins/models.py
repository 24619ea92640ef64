"""The stored bulletins (通报): each one's period, files and the plan file's hash that produced it.

The model lived in ``assessment`` until issue 13; it keeps that table (``assessment_bulletin``) so
that existing rows stay where they are (the move was made in migration state only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.audit.recording import AuditedManager


class BulletinKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly bulletin")
    QUARTERLY = "quarterly", _("Quarterly bulletin")


class Bulletin(models.Model):
    """A generated bulletin (通报): Word document and Excel workbook, kept with the plan hash and period."""

    audited = True

    kind = models.CharField(max_length=16, choices=BulletinKind.choices)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    plan_hash = models.CharField(max_length=64)
    docx_file = models.CharField(max_length=500, blank=True)
    xlsx_file = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = AuditedManager()

    class Meta:
        db_table = "assessment_bulletin"
        ordering = ["-year", "-month", "-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}-{self.month:02d}"
