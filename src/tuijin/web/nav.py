"""Core navigation entries (see :mod:`tuijin.web.context`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tuijin.orgs import policy


def nav_items(user) -> list[tuple[int, str, str]]:
    items: list[tuple[int, str, str]] = []
    business = policy.can(user, "read_business_data")
    if business:
        items += [
            (20, _("Project library"), reverse("projects:list")),
            (30, _("Monthly reporting"), reverse("reporting:overview")),
            (40, _("Statistics"), reverse("stats:overview")),
            (50, _("Rankings"), reverse("assessment:rankings")),
            (51, _("Evaluation"), reverse("assessment:evaluation")),
            (52, _("Forecast"), reverse("assessment:forecast")),
        ]
    if policy.can(user, "read_city_wide"):
        items.append((60, _("Bulletins"), reverse("bulletins:list")))
    if policy.can(user, "read_audit_log"):
        items.append((900, _("Audit log"), reverse("audit:list")))
    if policy.can(user, "manage_organisations"):
        items.append((910, _("Organisations and users"), reverse("orgs:list")))
    if policy.can(user, "read_plan"):
        items.append((920, _("Plan"), reverse("plan-view")))
    if policy.can(user, "use_api"):
        items.append((990, _("API"), reverse("api-docs")))
    return items
