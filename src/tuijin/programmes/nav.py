"""Navigation entry of the programme area (see :mod:`tuijin.web.context`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _


def nav_items(user) -> list[tuple[int, str, str]]:
    if user.sees_city_wide or user.reporting_unit is not None:
        return [(25, _("Programmes"), reverse("programmes:index"))]
    return []
