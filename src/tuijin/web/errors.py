"""Generic error pages (400/403/404/500): no detail beyond the request id to quote to support."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from tuijin.toolkit.http.middleware import record_denied

MESSAGES = {
    400: "请求有误",
    403: "您没有访问该页面的权限",
    404: "页面不存在，或不在您的查看范围内",
    500: "服务器内部错误，请稍后再试；如需帮助请提供请求编号",
}


def _page(request: HttpRequest, status: int) -> HttpResponse:
    request_id = str(getattr(request, "request_id", "") or "")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": MESSAGES[status], "code": "error", "request_id": request_id}, status=status)
    html = loader.get_template("web/http_error.html").render(
        {"status": status, "message": MESSAGES[status], "request_id": request_id})
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    record_denied(request, MESSAGES[403])
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500)
