"""Source of supervision tasks: problems at the top of the overdue ladder (三(三) "紧盯不放").

A problem that is open and escalated to the supervision office becomes one task for its responsible
department (key: the problem's id).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import Problem


def overdue_problem_candidates(as_of: dt.date) -> list[dict[str, Any]]:
    rows = (Problem.objects.open().filter(escalation_level="supervision", deadline__lt=as_of)
            .select_related("department", "unit", "project").order_by("id"))
    return [{"key": str(p.pk), "org": p.department,
             "title": f"{p.unit.name}“{p.project.name}”问题逾期未解决：{p.title}",
             "measure": f"办理时限{p.deadline:%Y-%m-%d}已过，请{p.department.name}主要负责同志研究，限期解决并答复提出单位。",
             "link": f"/problems/{p.pk}/", "deadline_days": 10} for p in rows]


def supervision_sources() -> dict:
    return {"overdue_problem": overdue_problem_candidates}
