"""Pages of the problem ledger (万人助万企, 二(五)14). Thin: parse, call one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.orgs import policy
from tuijin.orgs.models import Org
from tuijin.plan import current_plan
from tuijin.projects.models import Project
from tuijin.toolkit import attachments, clock
from tuijin.toolkit.errors import ApplicationError, NotFound

from . import rules, selectors, services

PAGE_SIZE = 50
STATUS_BADGES = {rules.RAISED: "text-bg-primary", rules.ACCEPTED: "text-bg-info", rules.IN_PROGRESS: "text-bg-warning",
                 rules.RESOLVED: "text-bg-success", rules.CLOSED: "text-bg-secondary", rules.RETURNED: "text-bg-danger"}


def _categories() -> dict[str, str]:
    return {c.code: c.name for c in current_plan().rules.problem_deadlines.categories}


@policy.requires("read_business_data")
@login_required
def problem_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "read_business_data", message=_("Your role cannot see the problem ledger."))
    today = clock.today()
    filters = {key: request.GET.get(key, "") for key in ("status", "category", "q")}
    filters["overdue"] = request.GET.get("overdue") == "1"
    qs = selectors.problem_list(user=request.user, filters=filters, today=today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "problems/list.html", {
        "page": page, "filters": filters, "today": today, "categories": _categories(),
        "states": rules.STATE_LABELS, "badges": STATUS_BADGES, "counts": selectors.status_counts(user=request.user),
        "may_raise": policy.can(request.user, "write_business_data"), "level_labels": rules.LEVEL_LABELS,
    })


@policy.requires("write_business_data")
@login_required
def problem_new(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "write_business_data",
                   message=_("Only reporting units and the city DRC raise problems."))
    projects = Project.objects.editable_by(request.user).order_by("name").values_list("pk", "name")[:1000]
    values = {"project": request.GET.get("project", ""), "category": "", "title": "", "description": ""}
    error = None
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        try:
            project_id = int(values["project"] or 0)
        except ValueError:
            project_id = 0
        try:
            problem = services.problem_raise(actor=request.user, project_id=project_id, category=values["category"],
                                             title=values["title"], description=values["description"],
                                             today=clock.today())
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("Problem raised and routed to %(department)s.") %
                             {"department": problem.department.name})
            return redirect("problems:detail", pk=problem.pk)
    plan = current_plan()  # the form routes as of today
    routes = [(c.code, c.name, plan.problems.department_for(c.code), c.working_days)
              for c in plan.rules.problem_deadlines.categories] if plan.problems else []
    departments = {d.code: d.name for d in plan.departments}
    return render(request, "problems/form.html", {"projects": projects, "values": values, "error": error,
                                                  "routes": [(code, name, departments.get(dep, dep), days)
                                                             for code, name, dep, days in routes]},
                  status=400 if error else 200)


@policy.signed_in
@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_detail(user=request.user, problem_id=pk)
    user = request.user
    actions = []
    for action, (sources, _target, who, needs_note) in rules.TRANSITIONS.items():
        if problem.status not in sources:
            continue
        allowed = (who == rules.DEPARTMENT and user.org_id == problem.department_id) or \
                  (who == rules.RAISER and user.org_id == problem.raiser_org_id)
        if allowed:
            actions.append((action, rules.ACTION_LABELS[action], needs_note))
    return render(request, "problems/detail.html", {
        "problem": problem, "actions": actions, "categories": _categories(), "badges": STATUS_BADGES,
        "today": clock.today(), "level_labels": rules.LEVEL_LABELS, "states": rules.STATE_LABELS,
        "action_labels": {**rules.ACTION_LABELS, "raise": _("Raised"), "comment": _("Comment"),
                          "attach": _("Attachment"), "escalate": _("Escalated"),
                          "reroute": _("Rerouted")},
        "allowed_types": attachments.ALLOWED_LABEL, "max_mb": attachments.max_bytes() // (1024 * 1024),
        "may_reroute": policy.can(user, "manage_city_data") and problem.status in rules.OPEN_STATES + (rules.RETURNED,),
        "departments": Org.objects.departments().order_by("sort_order", "code"),
    })


def _back(request: HttpRequest, pk: int, call) -> HttpResponse:
    try:
        call()
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("problems:detail", pk=pk)


@policy.signed_in
@login_required
@require_POST
def problem_act(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.problem_detail(user=request.user, problem_id=pk)
    return _back(request, pk, lambda: services.problem_act(
        actor=request.user, problem_id=pk, action=request.POST.get("action", ""), note=request.POST.get("note", ""),
        today=clock.today()))


@policy.signed_in
@login_required
@require_POST
def problem_reroute(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.problem_detail(user=request.user, problem_id=pk)
    return _back(request, pk, lambda: services.problem_reroute(
        actor=request.user, problem_id=pk, department_code=request.POST.get("department", ""),
        reason=request.POST.get("reason", ""), today=clock.today()))


@policy.signed_in
@login_required
@require_POST
def problem_comment(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.problem_detail(user=request.user, problem_id=pk)
    return _back(request, pk, lambda: services.problem_comment(actor=request.user, problem_id=pk,
                                                               text=request.POST.get("text", "")))


@policy.signed_in
@login_required
@require_POST
def problem_attach(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.problem_detail(user=request.user, problem_id=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
        return redirect("problems:detail", pk=pk)
    return _back(request, pk, lambda: services.problem_attach(actor=request.user, problem_id=pk, upload=upload,
                                                              name=upload.name))


@policy.signed_in
@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_detail(user=request.user, attachment_id=pk)
    path = attachments.path_of(attachment.stored_name)
    if not path.exists():
        raise NotFound(_("The file of this attachment is missing."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)


@policy.requires("read_business_data")
@login_required
def problem_stats(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "read_business_data", message=_("Your role cannot see the problem ledger."))
    today = clock.today()
    by_department = selectors.problem_stats(user=request.user, by="department", today=today)
    by_unit = selectors.problem_stats(user=request.user, by="unit", today=today)
    chart = {"names": [r["name"] for r in by_department], "rates": [r["rate"] or 0 for r in by_department],
             "days": [r["avg_days"] or 0 for r in by_department]}
    return render(request, "problems/stats.html", {"by_department": by_department, "by_unit": by_unit,
                                                   "chart": chart})
