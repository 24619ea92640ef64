"""Shared API pieces: pagination and the error format."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tuijin.errors import ApplicationError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Application errors become 400/403/404/409 with a Chinese ``detail`` and field ``errors``."""
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到，或不在您的查看范围内")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("您没有执行该操作的权限")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": "请求参数有误", "code": "invalid", "errors": response.data}
    elif response is not None and isinstance(response.data, list):
        response.data = {"detail": "; ".join(str(x) for x in response.data), "code": "invalid"}
    if response is None:
        return None
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response.data = {"detail": "请先登录", "code": "not_authenticated"}
    return response
