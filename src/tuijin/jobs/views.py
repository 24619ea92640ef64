"""The page of one background job: a progress bar that polls every second (htmx), then the result."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuijin.orgs import policy

from .selectors import job_get


def _context(job) -> dict:
    params = job.params or {}
    return {"job": job, "params": params, "result": job.result if isinstance(job.result, dict) else None,
            "dry_run": bool(params.get("dry_run"))}


@policy.signed_in
@login_required
def job_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    job = job_get(user=request.user, job_id=pk)
    return render(request, "jobs/detail.html", _context(job))


@policy.signed_in
@login_required
def job_progress(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The polled part: the bar while the job runs; the result once it has finished (polling stops)."""
    job = job_get(user=request.user, job_id=pk)
    return render(request, "jobs/_progress.html", _context(job))
