"""Navigation entries of supervision (see :mod:`tuijin.web.context`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tuijin.orgs import policy


def nav_items(user) -> list[tuple[int, str, str]]:
    items = []
    if policy.can(user, "read_business_data"):
        items.append((71, _("Supervision"), reverse("supervision:list")))
    return items
