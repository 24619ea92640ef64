from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from tuijin.toolkit import clock
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.http import access
from tuijin.toolkit.spreadsheets import new_workbook

from .models import Action
from .selectors import audit_entries

FILTERS = ("object_type", "object_id", "user", "action", "since", "until", "request_id")


@access.requires("read_audit_log")
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


HEADERS = ["编号", "时间", "用户", "来源", "地址", "操作", "对象类型", "对象编号", "对象", "原因", "修改前", "修改后", "请求编号"]


@access.requires("read_audit_log")
@login_required
def audit_export(request: HttpRequest) -> FileResponse:
    """The audit log (as filtered) as Excel: auditors only; the export itself is audited (file, SHA-256, rows)."""
    import json
    import tempfile

    from django.utils import timezone

    from .services import record_file

    filters = {k: request.GET.get(k, "").strip() for k in FILTERS if request.GET.get(k, "").strip()}
    entries = audit_entries(user=request.user, filters=filters)
    spool = tempfile.TemporaryFile()
    book = new_workbook(spool, constant_memory=True)
    sheet = book.add_worksheet("审计日志")
    for col, header in enumerate(HEADERS):
        sheet.write_string(0, col, header)
    rows = 0
    for rows, e in enumerate(entries.iterator(chunk_size=2000), start=1):
        values = [e.pk, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.actor_name, e.source, e.ip,
                  e.action, e.object_type, e.object_id, e.object_repr, e.reason,
                  json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
                  json.dumps(e.after, ensure_ascii=False) if e.after is not None else "", str(e.request_id)]
        for col, value in enumerate(values):
            # Written as text: a value starting with "=" stays text in Excel (no formula injection).
            if isinstance(value, int):
                sheet.write_number(rows, col, value)
            else:
                sheet.write_string(rows, col, str(value)[:32000])
    book.close()
    name = f"审计日志-{clock.real_today():%Y%m%d}.xlsx"
    record_file(action="export", object_type="audit.auditentry", file_name=name, fileobj=spool, rows=rows,
                extra={"filters": filters})
    return FileResponse(spool, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
