"""Reads of the REITs pipeline, scoped by the project's unit (``visible_to``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import QuerySet

from tuijin.orgs.models import User
from tuijin.orgs.policy import Principal
from tuijin.toolkit.errors import NotFound

from .models import ReitsEntry, ReitsList, ReitsStage

#: The stages after a successful issuance (发行, 运营): what the issuance award asks for (二(六)18).
ISSUED_STAGES = (ReitsStage.ISSUED, ReitsStage.OPERATING)


def entries_for(*, user: User, stage: str = "", batch_list: str = "", unit: str = "") -> QuerySet[ReitsEntry]:
    qs = ReitsEntry.objects.visible_to(user).select_related("project", "unit")
    if stage in ReitsStage.values:
        qs = qs.filter(stage=stage)
    if batch_list in ReitsList.values:
        qs = qs.filter(batch_list=batch_list)
    if unit:
        qs = qs.filter(unit__code=unit)
    return qs.order_by("unit__sort_order", "id")


def entry_get(*, user: User, entry_id: int) -> ReitsEntry:
    found = entries_for(user=user).prefetch_related("moves__actor").filter(pk=entry_id).first()
    if found is None:
        raise NotFound("REITs项目不存在，或不在您的查看范围内")
    return found


def pipeline_counts(*, user: User) -> dict[str, Any]:
    """How many entries per stage and per list (in the user's scope)."""
    rows = list(ReitsEntry.objects.visible_to(user).values_list("stage", "batch_list"))
    stages = Counter(s for s, _l in rows)
    lists = Counter(v for _s, v in rows)
    return {"stages": [(code, str(label), stages.get(code, 0)) for code, label in ReitsStage.choices],
            "lists": [(code, str(label), lists.get(code, 0)) for code, label in ReitsList.choices],
            "total": len(rows)}


def scan_entries(*, user: Principal) -> QuerySet[ReitsEntry]:
    """The entries of the pipeline in the user's scope with their project and unit: the incentives'
    scan (免申即享) runs over the whole city and passes ``policy.SYSTEM``."""
    return ReitsEntry.objects.visible_to(user).select_related("project", "unit")


def entry_for_project(*, user: Principal, project: Any) -> ReitsEntry | None:
    """The pipeline's entry of ``project`` (at most one) in the user's scope."""
    return ReitsEntry.objects.visible_to(user).filter(project=project).first()
