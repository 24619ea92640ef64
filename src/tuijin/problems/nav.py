"""Navigation entries of the problem ledger (see :mod:`tuijin.web.context`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tuijin.orgs import policy


def nav_items(user) -> list[tuple[int, str, str]]:
    return [(70, _("Problem ledger"), reverse("problems:list"))] if policy.can(user, "read_business_data") else []
