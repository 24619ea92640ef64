"""Pages of bulletins: the list with a form to generate one (a background job), and the downloads.

Bulletins name every unit's lagging and missing projects, so only city-wide roles read them; a
download by anyone else is 404. Files are served from ``MEDIA_ROOT/bulletins`` by this view, never
from a static folder.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tuijin.jobs.selectors import job_get
from tuijin.orgs import policy
from tuijin.stats import selectors as stats
from tuijin.toolkit.errors import NotFound
from tuijin.toolkit.periods import parse_period

from . import selectors, services
from .models import Bulletin
from .tasks import BULLETIN, bulletin_enqueue

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


NOT_FOUND = "页面不存在或不在您的查看范围内"


@policy.requires("read_city_wide")
@login_required
def bulletin_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "read_city_wide", refusal=NotFound, message=NOT_FOUND)
    periods = stats.city_periods(user=request.user)
    latest = periods[0] if periods else None
    context = {
        "bulletins": list(selectors.bulletin_list(user=request.user)[:100]),
        "periods": periods,
        "selected": request.GET.get("period") or latest,
        "may_issue": policy.can(request.user, "manage_city_data"),
    }
    return render(request, "bulletins/list.html", context)


@policy.requires("read_city_wide")
@login_required
@require_POST
def bulletin_generate(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "read_city_wide", refusal=NotFound, message=NOT_FOUND)
    code = request.POST.get("period", "")
    year, month = parse_period(code)
    job = bulletin_enqueue(actor=request.user, year=year, month=month, quarterly=bool(request.POST.get("quarterly")))
    return redirect("bulletins:job", pk=job.pk)


def _job_context(request: HttpRequest, pk: uuid.UUID) -> dict:

    job = job_get(user=request.user, job_id=pk)
    if job.kind != BULLETIN:
        raise NotFound("任务不存在")
    result = job.result if isinstance(job.result, dict) else {}
    bulletin = Bulletin.objects.filter(pk=result.get("bulletin")).first() if result.get("bulletin") else None
    return {"job": job, "params": job.params or {}, "bulletin": bulletin}


@policy.requires("read_city_wide")
@login_required
def bulletin_job(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The page of a bulletin's background job: progress (polled), then the downloads."""
    policy.require(request.user, "read_city_wide", refusal=NotFound, message=NOT_FOUND)
    return render(request, "bulletins/job.html", _job_context(request, pk))


@policy.requires("read_city_wide")
@login_required
def bulletin_job_status(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    policy.require(request.user, "read_city_wide", refusal=NotFound, message=NOT_FOUND)
    return render(request, "bulletins/_job_status.html", _job_context(request, pk))


@policy.requires("read_city_wide")
@login_required
def bulletin_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    policy.require(request.user, "read_city_wide", refusal=NotFound, message=NOT_FOUND)
    path = selectors.bulletin_file(user=request.user, pk=pk, kind=kind)
    bulletin = selectors.bulletin_get(user=request.user, pk=pk)
    return FileResponse(path.open("rb"), as_attachment=True, filename=services.file_names(bulletin)[kind],
                        content_type=CONTENT_TYPES[kind])
