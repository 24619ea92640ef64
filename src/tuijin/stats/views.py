"""Pages of official statistics (DESIGN §4.6, §6): a month's figures for the city and every unit,
the project-based sums beside them (coverage), and the bureau's upload with its result.

Thin: parse, call one selector or the import, render. A refused action (``ApplicationError``)
is shown on the page, or as the error page by ``ApplicationErrorMiddleware``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from tuijin.jobs import uploads
from tuijin.orgs import policy
from tuijin.plan import statistics_calendar
from tuijin.toolkit import clock
from tuijin.toolkit.errors import ApplicationError, ValidationFailed
from tuijin.toolkit.periods import parse_period
from tuijin.toolkit.spreadsheets import refusal
from tuijin.toolkit.statistics_months import statistics_time_progress

from . import selectors, services
from .forms import StatsUploadForm
from .importing import STATS


def _selected_month(user, requested: str | None) -> tuple[int, int]:  # noqa: ANN001
    """The month asked for (YYYY-MM) when valid, else the latest with figures, else last month."""
    if requested:
        try:
            return parse_period(requested, lenient=True)
        except ValidationFailed:
            pass
    latest = selectors.latest_statistics_month(user=user)
    if latest is not None:
        return latest
    today = clock.today()
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def _page(request: HttpRequest, year: int, month: int, *, status: int = 200, form: StatsUploadForm | None = None,
          import_result: dict[str, Any] | None = None) -> HttpResponse:
    user = request.user
    table = selectors.month_table(user=user, year=year, month=month)
    coverage = selectors.coverage_rows(user=user, year=year, month=month)
    context = {
        "table": table,
        "coverage": coverage,
        "coverage_has_projects": any(row.project_ytd_yuan is not None for row in coverage),
        "periods": selectors.months_for_picker(user=user, selected=(year, month)),
        "time_progress": statistics_time_progress(month, statistics_calendar(year)),
        "may_import": policy.can(user, "act_for_city_or_department", (services.STATISTICS_BUREAU,)),
        "upload_form": form or StatsUploadForm(initial={"period": table.period}),
        "import_result": import_result,
    }
    return render(request, "stats/overview.html", context, status=status)


@policy.requires("read_statistics")
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """A month's official figures (the latest by default), with coverage and, for the bureau, the upload."""
    policy.require(request.user, "read_statistics")
    year, month = _selected_month(request.user, request.GET.get("period"))
    return _page(request, year, month)


@policy.signed_in
@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """The bureau's (or the city administrator's) upload: the result on the statistics page."""
    admission = uploads.admit(STATS, actor=request.user, door=uploads.PAGE)
    form = StatsUploadForm(request.POST, request.FILES)
    year, month = _selected_month(request.user, request.POST.get("period"))
    if not form.is_valid():
        return _page(request, year, month, status=400, form=form)
    data = form.cleaned_data
    status = 200
    try:
        result = admission.receive(data["file"], dry_run=data["dry_run"], period=data["period"]).result
    except ApplicationError as exc:
        result, status = refusal(exc.message), exc.status_code
    else:
        form = StatsUploadForm(initial={"period": data["period"]})
    return _page(request, year, month, status=status, form=form, import_result=result)
