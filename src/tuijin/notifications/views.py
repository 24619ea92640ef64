"""The inbox page and the navbar bell (loaded by htmx, so other pages run no extra query)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tuijin.orgs import policy

from . import selectors, services

PAGE_SIZE = 50


@policy.signed_in
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(user=request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only,
                                                        "unread": selectors.unread_count(user=request.user)})


@policy.signed_in
@login_required
def bell(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/_bell_count.html", {"unread": selectors.unread_count(user=request.user)})


@policy.signed_in
@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = services.notification_read(actor=request.user, notification_id=pk)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:inbox")


@policy.signed_in
@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_read_all(actor=request.user)
    return redirect("notifications:inbox")
