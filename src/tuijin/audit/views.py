from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuijin.errors import ValidationFailed

from .models import Action
from .selectors import audit_entries

FILTERS = ("object_type", "object_id", "user", "action", "since", "until", "request_id")


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in FILTERS if request.GET.get(k, "").strip()}
    error = None
    try:
        entries = audit_entries(user=request.user, filters=filters)
    except ValidationFailed as exc:
        error = exc.message
        entries = audit_entries(user=request.user, filters={})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "filters": filters, "error": error,
                                               "actions": Action.choices})
