"""Periods and units' submissions: opened on demand, deadlines from the plan's calendar."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from tuijin.audit.context import audit_context, has_context
from tuijin.orgs.models import Org
from tuijin.toolkit.errors import ValidationFailed

from . import rules
from .calendar import deadline_for, period_plan
from .models import Period, SubmissionStatus, UnitPeriod

#: A unit's period in these states takes no more edits from the unit.
LOCKED_STATUSES = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED})


def period_open(code: str) -> Period:
    """The period ``YYYY-MM``, created on first use with its opening day and deadline."""
    try:
        year, month = rules.parse_period(code)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="period") from exc
    period = Period.objects.filter(year=year, month=month).first()
    if period is not None:
        return period
    calendar = period_plan(year, month).rules.reporting_calendar
    with transaction.atomic():
        period, _ = Period.objects.get_or_create(
            year=year, month=month,
            defaults={
                "code": rules.period_code(year, month),
                "opens_on": dt.date(year, month, calendar.period_opens_day),
                "deadline": deadline_for(year, month, deadline_working_day=calendar.deadline_working_day),
            },
        )
    return period


def unit_period_for(*, unit: Org, period: Period) -> UnitPeriod:
    """The unit's submission record for the period (created as a draft on first use)."""
    existing = UnitPeriod.objects.filter(unit=unit, period=period).first()
    if existing is not None:
        return existing
    if has_context():
        return UnitPeriod.objects.get_or_create(unit=unit, period=period)[0]
    with audit_context(source="system", reason="打开报送期"):
        return UnitPeriod.objects.get_or_create(unit=unit, period=period)[0]


def is_locked(*, unit: Org, period: Period) -> bool:
    status = UnitPeriod.objects.filter(unit=unit, period=period).values_list("status", flat=True).first()
    return status in LOCKED_STATUSES
