"""The page of a year's carried-over projects that lack an annual plan for it (issue 15, ``year-open``).

The city sees every unit's; a reporting unit its own (the projects' scope, ``visible_to``). ``?year=``
picks the year; the default is :func:`tuijin.plan.default_year`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuijin.orgs import policy
from tuijin.plan import default_year
from tuijin.projects.rules import STAGE_LABELS

from . import years

#: The page lists at most this many projects (the command's ``--json`` lists all).
PAGE_ROWS = 500


def _year(raw: str | None) -> int:
    try:
        year = int(str(raw or "").strip())
    except ValueError:
        return default_year()
    return year if 2000 <= year <= 2100 else default_year()


@policy.signed_in
@login_required
def without_annual_plan(request: HttpRequest) -> HttpResponse:
    """Carried-over projects (under construction, ready to start) with no annual plan for the year."""
    user = request.user
    policy.require(user, "read_business_data", message="您的角色不查看月度报送")
    year = _year(request.GET.get("year"))
    missing = years.projects_without_annual_plan(user=user, year=year)
    total = missing.count()
    return render(request, "reporting/without_annual_plan.html", {
        "year": year, "projects": list(missing[:PAGE_ROWS]), "total": total, "shown": min(total, PAGE_ROWS),
        "required": years.requires_annual_plan(year), "open_years": years.open_years(),
        "stage_labels": STAGE_LABELS,
    })
