"""Reads of the project library. Every function takes the user and starts from ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from tuijin.orgs.models import User
from tuijin.toolkit.errors import NotFound

from .models import Project, Stage

LIST_FILTERS = ("unit", "stage", "field", "category", "tag", "q")


def project_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Project]:
    """Projects the user may see, filtered; ready for a list (bounded queries)."""
    filters = filters or {}
    qs = Project.objects.visible_to(user).select_related("unit").prefetch_related("tag_links")
    if filters.get("unit"):
        qs = qs.filter(unit__code=filters["unit"])
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("field"):
        qs = qs.filter(field=filters["field"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("tag"):
        qs = qs.filter(tag_links__tag=filters["tag"])
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(project_code__icontains=q) | Q(owner_name__icontains=q))
    return qs


def project_detail(*, user: User, project_id: int) -> Project:
    """One project with everything its page shows; 404 when out of the user's scope."""
    project = (
        Project.objects.visible_to(user)
        .select_related("unit")
        .prefetch_related("tag_links", "departments", "annual_plans", "stage_moves__actor",
                          "approval_items__department")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise NotFound("项目不存在或不在您的查看范围内")
    return project


def stage_counts(*, user: User, filters: dict[str, Any] | None = None) -> dict[str, int]:
    """Projects per library for the tabs, with the other filters applied."""
    filters = {k: v for k, v in (filters or {}).items() if k != "stage"}
    rows = project_list(user=user, filters=filters).order_by().values("stage").annotate(n=Count("id", distinct=True))
    counts = {s: 0 for s in Stage.values}
    for row in rows:
        counts[row["stage"]] = row["n"]
    return counts


def library_summary(*, user: User) -> list[dict[str, Any]]:
    """Per stage: project count and total investment (yuan) in the user's scope."""
    rows = (Project.objects.visible_to(user).order_by().values("stage")
            .annotate(n=Count("id"), total=Sum("total_investment_yuan")))
    by_stage = {r["stage"]: r for r in rows}
    return [
        {"stage": s, "label": label, "count": by_stage.get(s, {}).get("n", 0),
         "total_yuan": by_stage.get(s, {}).get("total") or 0}
        for s, label in Stage.choices
    ]


def unit_library_table(*, user: User) -> list[dict[str, Any]]:
    """Per reporting unit: projects per library and total investment, in the user's scope (one query)."""
    stage_counts = {s: Count("id", filter=Q(stage=s)) for s in Stage.values}
    rows = (
        Project.objects.visible_to(user).order_by().values("unit__code", "unit__short_name", "unit__sort_order")
        .annotate(total=Sum("total_investment_yuan"), n=Count("id"), **stage_counts)
        .order_by("unit__sort_order")
    )
    return list(rows)
