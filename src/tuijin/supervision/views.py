"""Pages of supervision (督办, 三(三)) and the weekly scheduling meeting (周例会, 二(二)6). Thin."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from tuijin.audit.services import record
from tuijin.orgs import policy
from tuijin.orgs.models import Org
from tuijin.toolkit import attachments, clock, fields
from tuijin.toolkit.errors import ApplicationError, NotFound, PermissionRefused, ValidationFailed
from tuijin.toolkit.periods import parse_week, week_code

from . import meetings, presentation, rules, selectors, services, sources

PAGE_SIZE = 50
TABS = (("open", "In progress"), ("overdue", "Overdue"), ("repeated", "Repeatedly overdue"), ("closed", "Closed"),
        ("all", "All"))


@policy.requires("read_business_data")
@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "read_business_data", message=_("Your role cannot see supervision tasks."))
    today = clock.today()
    tab = request.GET.get("tab", "open")
    filters = {"kind": request.GET.get("kind", ""), "q": request.GET.get("q", "")}
    if tab in ("open", "closed"):
        filters["status"] = tab
    elif tab == "overdue":
        filters["overdue"] = True
    elif tab == "repeated":
        filters["repeated"] = True
    qs = selectors.task_list(user=request.user, filters=filters, today=today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(t, presentation.overdue_state(t, today)) for t in page]
    return render(request, "supervision/list.html", {
        "page": page, "rows": rows, "tab": tab, "tabs": [(code, pgettext("supervision", label)) for code, label in TABS],
        "counts": selectors.task_counts(user=request.user, today=today), "filters": filters,
        "kinds": sources.KIND_LABELS, "overdue_labels": rules.OVERDUE_LABELS,
        "may_supervise": policy.can(request.user, "supervise"), "may_meeting": policy.can(request.user, "read_meetings"),
    })


@policy.requires("supervise")
@login_required
def task_new(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "supervise", message=_("Only the supervision office assigns tasks."))
    orgs = Org.objects.exclude(kind="city").order_by("kind", "sort_order", "code")
    values = {k: request.POST.get(k, "") for k in ("org", "title", "measure", "deadline", "assignee_name")}
    error = None
    if request.method == "POST":
        try:
            org = Org.objects.filter(code=values["org"]).first()
            if org is None:
                raise ValidationFailed(_("Choose the organisation responsible."), field="org")
            deadline = fields.date(values["deadline"], field="deadline", required=False,
                                   message=_("Enter a date as YYYY-MM-DD."))
            task = services.task_create(actor=request.user, org=org, title=values["title"], measure=values["measure"],
                                        deadline=deadline, today=clock.today(),
                                        assignee_name=values["assignee_name"])
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("Task assigned."))
            return redirect("supervision:detail", pk=task.pk)
    return render(request, "supervision/form.html", {"orgs": orgs, "values": values, "error": error},
                  status=400 if error else 200)


@policy.signed_in
@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_detail(user=request.user, task_id=pk)
    today = clock.today()
    may_report = policy.can(request.user, "report_on_task", task)
    return render(request, "supervision/detail.html", {
        "task": task, "today": today, "state": presentation.overdue_state(task, today),
        "overdue_labels": rules.OVERDUE_LABELS, "kind_label": sources.kind_label(task.kind),
        "may_report": may_report and task.status == "open",
        "may_extend": policy.can(request.user, "supervise") and task.status == "open",
        "allowed_types": attachments.ALLOWED_LABEL,
    })


def _back(request: HttpRequest, pk: int, call) -> HttpResponse:
    try:
        call()
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:detail", pk=pk)


@policy.signed_in
@login_required
@require_POST
def task_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.task_detail(user=request.user, task_id=pk)
    return _back(request, pk, lambda: services.task_follow_up(actor=request.user, task_id=pk,
                                                              note=request.POST.get("note", ""),
                                                              today=clock.today()))


@policy.signed_in
@login_required
@require_POST
def task_close(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.task_detail(user=request.user, task_id=pk)
    upload = request.FILES.get("file")
    return _back(request, pk, lambda: services.task_close(
        actor=request.user, task_id=pk, evidence=request.POST.get("evidence", ""), today=clock.today(),
        upload=upload, upload_name=upload.name if upload else ""))


@policy.signed_in
@login_required
@require_POST
def task_extend(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.task_detail(user=request.user, task_id=pk)

    def call() -> None:
        deadline = fields.date(request.POST.get("deadline", ""), field="deadline",
                               message=_("Enter a date as YYYY-MM-DD."))
        services.task_extend(actor=request.user, task_id=pk, deadline=deadline,
                             reason=request.POST.get("reason", ""), today=clock.today())

    return _back(request, pk, call)


@policy.signed_in
@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    task = selectors.task_detail(user=request.user, task_id=pk)
    if not task.evidence_stored_name:
        raise NotFound(_("This task has no evidence file."))
    path = attachments.path_of(task.evidence_stored_name)
    if not path.exists():
        raise NotFound(_("The file of this attachment is missing."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=task.evidence_name,
                        content_type=task.evidence_content_type)


@policy.requires("supervise")
@login_required
@require_POST
def tasks_sync(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "supervise", message="只有市政府督查室可以从来源生成督办任务")
    result = services.tasks_sync(today=clock.today(), actor=request.user)
    messages.success(request, _("%(n)d new tasks from the sources.") % {"n": sum(result.created.values())})
    for error in result.errors:
        messages.warning(request, error)
    return redirect("supervision:list")


MEETINGS_REFUSED = "只有市发展改革委、市领导和市政府督查室可以查看周例会议题"


def _week(request: HttpRequest) -> str:
    return request.GET.get("week") or week_code(clock.today())


@policy.requires("read_meetings")
@login_required
def meeting(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "read_meetings", message=MEETINGS_REFUSED)
    week = _week(request)
    data = meetings.agenda(user=request.user, week=week)
    monday, _sunday = parse_week(week)
    return render(request, "supervision/meeting.html", {
        "data": data, "week": week, "previous": week_code(monday - dt.timedelta(days=7)),
        "next": week_code(monday + dt.timedelta(days=7)), "titles": meetings.SECTION_TITLES,
        "orgs": Org.objects.exclude(kind="city").order_by("kind", "sort_order", "code"),
        "may_supervise": policy.can(request.user, "supervise"),
    })


@policy.requires("read_meetings")
@login_required
def meeting_docx(request: HttpRequest, week: str) -> FileResponse:
    policy.require(request.user, "read_meetings", message=MEETINGS_REFUSED)
    data = meetings.agenda(user=request.user, week=week)
    with tempfile.TemporaryDirectory() as folder:
        path = meetings.write_docx(data, Path(folder) / "agenda.docx")
        content = path.read_bytes()
    record(action="export", object_type="supervision.meeting", object_repr=f"周例会议题 {week}", after={"week": week})
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"周例会议题-{week}.docx",
                        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@policy.requires("supervise")
@login_required
@require_POST
def meeting_decision(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "supervise", message="只有市政府督查室可以记录周例会议定事项")
    week = request.POST.get("week", "")
    try:
        org = Org.objects.filter(code=request.POST.get("org", "")).first()
        if org is None:
            raise ValidationFailed(_("Choose the organisation responsible."), field="org")
        services.meeting_record_decision(actor=request.user, week=week, org=org, title=request.POST.get("title", ""),
                                         measure=request.POST.get("measure", ""),
                                         deadline=fields.date(
                                             request.POST.get("deadline", ""), field="deadline", required=False,
                                             message=_("Enter a date as YYYY-MM-DD.")),
                                         assignee_name=request.POST.get("assignee_name", ""),
                                         today=clock.today())
    except PermissionRefused:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision recorded as a supervision task."))
    return redirect(reverse("supervision:meeting") + f"?week={week}")


