"""Supervision sources of incentives (contract: ``supervision_sources()``).

``incentive_pending``: an application waiting longer than :data:`WAITING_DAYS` days for its next
step — review by the responsible department (submitted), approval or payment by 财政局 (reviewed,
approved). The task goes to the department that holds the application; one task per application
and state (``key`` = ``"<id>:<status>"``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.urls import reverse

from tuijin.orgs.models import Org

from .models import Application, ApplicationStatus

WAITING_DAYS = 15
RULE_NAMES = {"interest_subsidy": "贴息", "equipment_award": "设备投资奖励", "reits_subsidy": "REITs前期经费补助",
              "reits_issuance": "REITs发行奖励"}
STEP = {ApplicationStatus.SUBMITTED: ("submitted_at", "审核"), ApplicationStatus.REVIEWED: ("reviewed_at", "批准"),
        ApplicationStatus.APPROVED: ("approved_at", "拨付")}


def pending_applications(as_of: dt.date) -> list[dict[str, Any]]:
    from . import services

    found: list[dict[str, Any]] = []
    orgs = {o.code: o for o in Org.objects.departments()}
    for app in Application.objects.filter(status__in=list(STEP)).select_related("project"):
        field, step = STEP[app.status]
        since = getattr(app, field)
        if since is None or (as_of - since.date()).days <= WAITING_DAYS:
            continue
        code = services.reviewing_department(app.rule) if app.status == ApplicationStatus.SUBMITTED \
            else services._incentives_rule().approving_department
        org = orgs.get(code)
        if org is None:
            continue
        days = (as_of - since.date()).days
        found.append({
            "key": f"{app.pk}:{app.status}", "org": org,
            "title": f"奖补申请待{step}：{app.project.name}（{RULE_NAMES.get(app.rule, app.rule)}，已等待{days}天）",
            "measure": f"请{org.name}尽快完成{step}，或说明理由退回申请",
            "link": reverse("incentives:application", args=[app.pk]), "deadline_days": 5,
        })
    return found


def supervision_sources() -> dict[str, Callable[[dt.date], list[dict[str, Any]]]]:
    return {"incentive_pending": pending_applications}
