"""Shared API pieces: pagination, the error format, query parameters, and the import result's issues."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tuijin.toolkit.errors import ApplicationError, NotFound, ValidationFailed


class Pagination(PageNumberPagination):
    """Pages of 50 (``page_size`` 1–500); a ``page``/``page_size`` that is not such a number is a 400."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def _checked(self, request: Any, name: str, maximum: int | None) -> None:
        raw = request.query_params.getlist(name)
        if not raw:
            return
        bound = f"1–{maximum}" if maximum else "≥1"
        value = raw[-1]
        if len(raw) > 1 or not value.isascii() or not value.isdigit() or not 1 <= int(value) <= (maximum or MAX_PK):
            raise ValidationFailed(f"{name} 应为 {bound} 的整数，实际为“{','.join(raw)}”", field=name)

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self._checked(request, self.page_query_param, None)
        self._checked(request, self.page_size_query_param, self.max_page_size)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params = super().get_schema_operation_parameters(view)
        for param in params:
            param["schema"]["minimum"] = 1
            if param["name"] == self.page_size_query_param:
                param["schema"]["maximum"] = self.max_page_size
            else:
                param["schema"]["maximum"] = MAX_PK
        return params


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




# ---------------------------------------------------------------------------
# Query parameters shared by every API door: the schema declares exactly what the checks accept

#: The years the apps accept in periods, quarters and weeks (reporting/stats/assessment: 2000–2100).
YEAR_PATTERN = r"(20[0-9]{2}|2100)"
#: 统计期/报送期 ``YYYY-MM`` (month 01–12).
PERIOD_PATTERN = rf"^{YEAR_PATTERN}-(0[1-9]|1[0-2])$"
#: 季度 ``YYYYQn`` (n 1–4).
QUARTER_PATTERN = rf"^{YEAR_PATTERN}Q[1-4]$"
#: An amount in 万元 as a decimal string (tuijin.toolkit.money.parse_wan: at most 4 decimal places, i.e. whole yuan).
WAN_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,4})?$"
#: ISO 周次 ``YYYY-Www``; week 53 exists only in some years, so the schema promises 01–52.
WEEK_PATTERN = rf"^{YEAR_PATTERN}-W(0[1-9]|[1-4][0-9]|5[0-2])$"


def query_param(name: str, *, pattern: str | None = None, enum: list[str] | None = None,
                minimum: int | None = None, maximum: int | None = None, integer: bool = False,
                fmt: str | None = None, required: bool = False, blank: bool = False, description: str = "") -> Any:
    """An ``OpenApiParameter`` for a query string, with the constraints the view checks declared.

    ``blank=True``: an empty value is accepted (it means the default) and is declared so.
    """
    from drf_spectacular.utils import OpenApiParameter

    schema: dict[str, Any] = {"type": "integer" if integer else "string"}
    if pattern:
        schema["pattern"] = rf"^$|{pattern}" if blank else pattern
    if fmt:
        schema["format"] = fmt
    if enum:
        schema["enum"] = [*enum, ""] if blank else enum
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return OpenApiParameter(name, schema, OpenApiParameter.QUERY, required=required, description=description)


class Text(serializers.CharField):
    """A JSON string field that refuses numbers and booleans (DRF's ``CharField`` would turn 0 into "0")."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PositiveDecimal(serializers.DecimalField):
    """A decimal amount that must be greater than 0 (declared so in the schema's pattern)."""

    greater_than_zero = True

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if value is not None and value <= 0:
            raise serializers.ValidationError("应大于0")
        return value


class DecimalPatternExtension(OpenApiSerializerFieldExtension):
    """A decimal string's pattern as DRF checks it: drf-spectacular's admits "" and "-" and ignores
    ``min_value``; here a digit is required, "-" only where negatives are allowed, "" only where null is."""

    target_class = serializers.DecimalField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if schema.get("format") != "decimal" or "pattern" not in schema or field.max_whole_digits is None:
            return schema
        whole, places = max(field.max_whole_digits, 1), field.decimal_places
        fraction = rf"(\.[0-9]{{0,{places}}})?" if places else ""
        if getattr(field, "greater_than_zero", False):
            pattern = rf"[1-9][0-9]{{0,{whole - 1}}}{fraction}"
            if places:
                pattern += rf"|0?\.[0-9]{{0,{places - 1}}}[1-9]"
        else:
            pattern = rf"[0-9]{{1,{whole}}}{fraction}"
            if places:
                pattern += rf"|\.[0-9]{{1,{places}}}"
            if field.min_value is None or field.min_value < 0:
                pattern = rf"-?({pattern})"
        pattern = rf"^({pattern})$"
        if field.allow_null:
            pattern = rf"^$|{pattern}"
        schema["pattern"] = pattern
        return schema


class TextPatternExtension(OpenApiSerializerFieldExtension):
    """DRF refuses the NUL character in every ``CharField``; a request string's schema says so."""

    target_class = serializers.CharField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if (direction == "request" and schema.get("type") == "string" and "pattern" not in schema
                and "format" not in schema and "enum" not in schema):
            schema["pattern"] = r"^[^\u0000]*$"
        return schema


class Coded(Text):
    """A code such as a period, quarter or week: the schema carries its pattern; the view parses it.

    ``Coded(PERIOD_PATTERN, required=False, allow_blank=True)`` — a blank value (meaning "the default")
    is part of the declared pattern when blank is allowed.
    """

    def __init__(self, pattern: str | None = None, *, enum: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        from drf_spectacular.drainage import set_override

        if enum:  # as a pattern: a component's "enum" would be hoisted into a shared, colliding enum name
            pattern = "^(" + "|".join(re.escape(word) for word in enum) + ")$"
        schema: dict[str, Any] = {"type": "string"}
        if pattern:
            schema["pattern"] = rf"^$|{pattern}" if self.allow_blank else pattern
        set_override(self, "field", schema)


def query_data(request: Any) -> dict[str, str]:
    """The query string for a filter serializer, last value winning.

    A plain dict, not the ``QueryDict``: DRF treats a blank value in form/query data as "not given"
    for optional fields, which the schema (``minLength``, ``integer``) does not promise; here ``?unit=``
    is a blank unit, refused where blank is not allowed, and accepted (declared) where it is.
    """
    return {key: request.query_params.getlist(key)[-1] for key in request.query_params}


class FormFlag(serializers.BooleanField):
    """A yes/no in a multipart form: the strings DRF reads as true or false (declared as such)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        from drf_spectacular.drainage import set_override

        words = sorted(str(v) for v in (*self.TRUE_VALUES, *self.FALSE_VALUES) if isinstance(v, str) and v)
        set_override(self, "field", {"type": "string", "enum": words})


class WholeBody:
    """Mixin for a PATCH body validated as a whole: its required fields (``version``) stay required.

    The schema generator sets ``partial=True`` on PATCH request serializers, which would drop them.
    """

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass


class JsonFlag(serializers.BooleanField):
    """A JSON boolean: ``true``/``false`` only (DRF's ``BooleanField`` also takes 0, 1, "yes"…)."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class TextRegex(serializers.RegexField):
    """A ``RegexField`` that, like :class:`Text`, takes only JSON strings."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# ---------------------------------------------------------------------------
# Imports: the result JSON every importer's API door returns (``{"ok", "errors", "warnings", "summary"}``)

# One error or warning of an import (tuijin.toolkit.spreadsheets.ImportIssue); no docstring, which the
# schema would show as the component's description.
class ImportIssueSerializer(serializers.Serializer):
    sheet = Text(allow_null=True, required=False, help_text="工作表")
    row = serializers.IntegerField(allow_null=True, required=False, help_text="Excel 行号（文件级问题为空）")
    column = Text(allow_null=True, required=False, help_text="列名")
    message = Text(help_text="原因（中文）")
