"""Navigation entry of the cockpit (see :mod:`tuijin.web.context`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tuijin.orgs import policy


def nav_items(user) -> list[tuple[int, str, str]]:  # noqa: ANN001
    if policy.can(user, "read_business_data"):
        return [(10, _("Overview"), reverse("home"))]
    return []
