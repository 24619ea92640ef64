"""Navigation by role, for the base layout."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from tuijin.orgs.roles import Role
from tuijin.plan import active_plan


def navigation(request: HttpRequest) -> dict:
    plan = active_plan()
    plan_title = f"{plan.meta.city} · {plan.meta.title}（{plan.meta.document_number}）"
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"plan_title": plan_title, "nav_items": []}
    items: list[tuple[str, str]] = []
    if user.sees_city_wide or user.reporting_unit is not None:
        items.append((_("Overview"), reverse("home")))
        items.append((_("Project library"), reverse("projects:list")))
        items.append((_("Monthly reporting"), reverse("reporting:overview")))
        items.append((_("Statistics"), reverse("stats:overview")))
    if user.has_role(Role.AUDITOR):
        items.append((_("Audit log"), reverse("audit:list")))
    if user.has_role(Role.SECADMIN, Role.SYSADMIN, Role.CITY_ADMIN):
        items.append((_("Organisations and users"), reverse("orgs:list")))
    if user.has_role(Role.SYSADMIN, Role.CITY_ADMIN, Role.LEADER):
        items.append((_("Plan"), reverse("plan-view")))
    if not user.is_administrator:
        items.append((_("API"), reverse("api-docs")))
    items += [(_("Bulletins"), reverse("bulletins:list"))] if user.sees_city_wide else []
    items += [(_("Rankings"), reverse("assessment:rankings")), (_("Evaluation"), reverse("assessment:evaluation")), (_("Forecast"), reverse("assessment:forecast"))] if user.sees_city_wide or user.reporting_unit is not None else []
    current = request.path
    nav_items = [(label, url, current.startswith(url) and (url != "/" or current == "/")) for label, url in items]
    return {"plan_title": plan_title, "nav_items": nav_items}
