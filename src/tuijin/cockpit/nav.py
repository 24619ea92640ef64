"""Navigation entry of the cockpit (see :mod:`tuijin.web.context`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _


def nav_items(user) -> list[tuple[int, str, str]]:  # noqa: ANN001
    if user.sees_city_wide or user.reporting_unit is not None:
        return [(10, _("Overview"), reverse("home"))]
    return []
