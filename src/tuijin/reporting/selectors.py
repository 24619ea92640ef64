"""Reads of monthly reporting. Every function takes the user and starts from ``visible_to``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from tuijin.orgs.models import Org, User
from tuijin.projects.models import Project, Stage

from .models import Period


def reportable_projects(*, user: User, unit: Org, period: Period) -> QuerySet[Project]:
    """Projects the unit reports for the period: those under construction, plus those planned
    to start by the end of the period's year, plus those completed during that year."""
    year_start = dt.date(period.year, 1, 1)
    year_end = dt.date(period.year, 12, 31)
    return (
        Project.objects.visible_to(user)
        .filter(unit=unit)
        .filter(
            Q(stage=Stage.CONSTRUCTION)
            | Q(stage=Stage.READY, planned_start__lte=year_end)
            | Q(stage=Stage.COMPLETED, actual_end__gte=year_start)
        )
        .order_by("-total_investment_yuan", "id")
    )
