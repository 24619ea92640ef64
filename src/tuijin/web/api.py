"""Shared API pieces: pagination and the error format."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tuijin.errors import ApplicationError, NotFound


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Application errors become 400/403/404/409 with a Chinese ``detail`` and field ``errors``."""
    from .middleware import JOB_QUEUE_DOWN, is_job_queue_down

    if is_job_queue_down(exc):
        return Response({"detail": JOB_QUEUE_DOWN, "code": "unavailable"}, status=503)
    if isinstance(exc, ApplicationError):
        if exc.status_code == 403:
            _record_denied(context, exc.message)
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到，或不在您的查看范围内")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("您没有执行该操作的权限")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": "请求参数有误", "code": "invalid", "errors": response.data}
    elif isinstance(response.data, list):
        response.data = {"detail": "; ".join(str(x) for x in response.data), "code": "invalid"}
    elif isinstance(response.data, dict) and "code" not in response.data:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        response.data["code"] = codes if isinstance(codes, str) else "invalid"
    if response.status_code == status.HTTP_403_FORBIDDEN:
        _record_denied(context, str(response.data.get("detail", "")) if isinstance(response.data, dict) else "")
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response.data = {"detail": "请先登录", "code": "not_authenticated"}
    return response


def _record_denied(context: dict[str, Any], message: str) -> None:
    request = context.get("request")
    if request is not None:
        from .middleware import record_denied

        record_denied(request, message)


# ---------------------------------------------------------------------------
# Error bodies and ids, shared by every API door

#: Largest primary key the databases hold (BIGINT); larger ids cannot exist.
MAX_PK = 2**63 - 1


class ErrorSerializer(serializers.Serializer):
    """An error: a Chinese message, a machine code, and the messages per field."""

    detail = serializers.CharField(help_text="错误说明（中文）")
    code = serializers.CharField(required=False, help_text="错误代码：invalid / permission_denied / not_found / "
                                                          "conflict / stale / stage_refused / not_authenticated")
    errors = serializers.DictField(
        child=serializers.JSONField(), required=False,
        help_text="按字段列出的错误：字段名 → 错误信息列表（列表或字典字段可能嵌套到元素）",
    )


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses of an operation, all with the ``Error`` body."""
    meaning = {
        400: "请求参数有误（errors 按字段列出原因）",
        403: "未登录，或您的角色无权执行该操作",
        404: "不存在，或不在您的查看范围内",
        409: "与当前状态冲突",
        415: "请求体格式不受支持（文件上传应为 multipart/form-data）",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=meaning[code]) for code in codes}


def pk_from_path(value: Any) -> int:
    """The integer id in a URL, or 404 for anything that cannot be an id."""
    try:
        pk = int(str(value))
    except ValueError:
        raise NotFound("未找到，或不在您的查看范围内") from None
    if not 0 < pk <= MAX_PK:
        raise NotFound("未找到，或不在您的查看范围内")
    return pk


