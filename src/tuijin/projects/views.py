"""Pages of the project library. Thin: parse, call one selector or service, render."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.audit.models import AuditEntry
from tuijin.audit.services import object_type_of, record_file
from tuijin.orgs import policy
from tuijin.plan import current_plan, default_year
from tuijin.toolkit import clock
from tuijin.toolkit.errors import StageMoveRefused, StaleEdit, ValidationFailed

from . import rules, selectors, services
from .exports import write_projects_xlsx
from .forms import AdvanceForm, ProjectFilterForm, ProjectForm
from .models import Project, Stage

PAGE_SIZE = 50


@policy.signed_in
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    projects = selectors.project_list(user=request.user, filters=filters)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    plan = current_plan()
    counts = selectors.stage_counts(user=request.user, filters=filters)
    context = {
        "form": form,
        "page": page,
        "stage": filters.get("stage", ""),
        "tabs": [("", _("All"), sum(counts.values()))] + [(s, label, counts[s]) for s, label in Stage.choices],
        "field_names": {f.code: f.name for f in plan.fields},
        "category_names": {c.code: c.name for c in plan.categories},
        "may_create": policy.can(request.user, "write_business_data"),
    }
    template = "projects/_table.html" if request.headers.get("HX-Request") else "projects/list.html"
    return render(request, template, context)


@policy.signed_in
@login_required
def project_list_export(request: HttpRequest) -> FileResponse:
    form = ProjectFilterForm(request.GET or None, user=request.user)
    projects = selectors.project_list(user=request.user, filters=form.filters())
    return _xlsx_response(projects, f"项目库-{clock.real_today():%Y%m%d}.xlsx")


@policy.signed_in
@login_required
def project_export(request: HttpRequest, pk: int) -> FileResponse:
    project = selectors.project_detail(user=request.user, project_id=pk)
    return _xlsx_response([project], f"项目-{project.project_code or project.pk}.xlsx")


def _xlsx_response(projects, filename: str) -> FileResponse:
    spool = tempfile.TemporaryFile()
    rows = write_projects_xlsx(projects.iterator(chunk_size=2000) if hasattr(projects, "iterator") else projects,
                               spool)
    record_file(action="export", object_type="projects.project", file_name=filename, fileobj=spool, rows=rows)
    return FileResponse(spool, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _history(project: Project) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=object_type_of(project), object_id=str(project.pk))
                .order_by("-at", "-id")[:50])


@policy.signed_in
@login_required
def project_detail(request: HttpRequest, pk: int, *, advance_error: list[str] | None = None) -> HttpResponse:
    project = selectors.project_detail(user=request.user, project_id=pk)
    editable = Project.objects.editable_by(request.user).filter(pk=pk).exists()
    plan = current_plan()
    context = {
        "project": project,
        "editable": editable,
        "targets": [(s, rules.STAGE_LABELS[s]) for s in rules.allowed_targets(project.stage)],
        "stage_labels": rules.STAGE_LABELS,
        "advance_error": advance_error,
        "history": _history(project),
        "field_name": {f.code: f.name for f in plan.fields}.get(project.field, project.field),
        "category_name": {c.code: c.name for c in plan.categories}.get(project.category, project.category),
        "industry_name": {i.code: i.name for i in plan.leading_industries}.get(project.leading_industry, ""),
        "required_approvals": plan.rules.approval_catalogue.items_for(project.category),
    }
    return render(request, "projects/detail.html", context, status=409 if advance_error else 200)


@policy.signed_in
@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "write_business_data"):
        return render(request, "web/error.html", {"error": ValidationFailed("您的角色不能新建项目")}, status=403)
    initial = {"unit": request.user.reporting_unit.code} if request.user.reporting_unit else {}
    form = ProjectForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, data=form.service_data())
        except ValidationFailed as exc:
            form.add_service_errors(exc.errors)
        else:
            messages.success(request, _("Project created in the reserve library."))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "creating": True},
                  status=400 if form.errors else 200)


@policy.signed_in
@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = services.get_editable_project(actor=request.user, project_id=pk)
    year = default_year()
    stale = None
    if request.method == "POST":
        form = ProjectForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.project_update(actor=request.user, project_id=pk, version=form.cleaned_data["version"] or 0,
                                        data=form.service_data(project=project))
            except StaleEdit as exc:
                # Keep what the user typed; show what is there now.
                stale = exc
                project = services.get_editable_project(actor=request.user, project_id=pk)
                form.data = form.data.copy()
                form.data["version"] = project.version
            except ValidationFailed as exc:
                form.add_service_errors(exc.errors)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("projects:detail", pk=pk)
    else:
        form = ProjectForm(initial=ProjectForm.initial_from(project, year), user=request.user)
    status = 409 if stale else (400 if form.errors else 200)
    return render(request, "projects/form.html", {"form": form, "project": project, "stale": stale,
                                                  "current": ProjectForm.initial_from(project, year) if stale else None},
                  status=status)


@policy.signed_in
@login_required
@require_POST
def project_advance(request: HttpRequest, pk: int) -> HttpResponse:
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        return project_detail(request, pk, advance_error=[_("Choose the stage to move to.")])
    try:
        project = services.project_advance_stage(actor=request.user, project_id=pk, to_stage=form.cleaned_data["to"],
                                                 reason=form.cleaned_data["reason"],
                                                 version=form.cleaned_data["version"])
    except (StageMoveRefused, StaleEdit) as exc:
        return project_detail(request, pk, advance_error=exc.errors.get("to") or [exc.message])
    messages.success(request, _("Moved to %(stage)s.") % {"stage": rules.STAGE_LABELS[project.stage]})
    return redirect("projects:detail", pk=pk)
