"""Navigation entry of the programme area (see :mod:`tuijin.web.context`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tuijin.orgs import policy


def nav_items(user) -> list[tuple[int, str, str]]:
    if policy.can(user, "read_business_data"):
        return [(25, _("Programmes"), reverse("programmes:index"))]
    return []
