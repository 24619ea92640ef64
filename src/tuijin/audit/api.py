"""API of the change log: read-only, and only for the audit administrator (三员分立, DESIGN §4.3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from tuijin.toolkit.errors import NotFound
from tuijin.toolkit.http.api import Text, error_responses, pk_from_path, query_data

from .models import Action, AuditEntry
from .selectors import audit_entries


class IsAuditor(permissions.BasePermission):
    """Only the audit administrator reads the change log (403 for everyone else)."""

    message = "只有审计管理员可以查看审计日志"

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(getattr(request.user, "reads_audit_log", False))  # the access policy's read_audit_log


#: What :class:`MomentField` accepts, as the schema declares it (days 01–28 in the pattern: every month has them;
#: the field itself accepts every real date).
MOMENT_PATTERN = (r"^$|^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
                  r"(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?([+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?)?$")


@extend_schema_field({"type": "string", "pattern": MOMENT_PATTERN, "maxLength": 40})
class MomentField(serializers.CharField):
    """An ISO 8601 date (``YYYY-MM-DD``, the whole day) or date-time; parsed again by the selector.

    Checked here so that a malformed or absurd value (year 1 would overflow the database's
    time-zone conversion) is a 400 naming the parameter.
    """

    default_error_messages = {"moment": "应为ISO 8601日期（YYYY-MM-DD）或日期时间（YYYY-MM-DDTHH:MM[:SS][±HH:MM]），"
                                        "年份在1900–2999之间，时区偏移不超过±14:00"}

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data).strip()
        try:
            moment = dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
        except ValueError:
            self.fail("moment")
        if not 1900 <= moment.year <= 2999:
            self.fail("moment")
        offset = moment.utcoffset() if isinstance(moment, dt.datetime) else None
        if offset is not None and abs(offset) > dt.timedelta(hours=14):  # no real zone; PostgreSQL refuses it
            self.fail("moment")
        return text


class AuditFilterSerializer(serializers.Serializer):
    object_type = Text(required=False, allow_blank=True, max_length=64,
                                        help_text="对象类型，如 projects.project")
    object_id = Text(required=False, allow_blank=True, max_length=64, help_text="对象编号")
    user = Text(required=False, allow_blank=True, max_length=150, help_text="操作用户名")
    action = serializers.ChoiceField(choices=Action.choices, required=False, allow_blank=True, help_text="操作类型")
    request_id = serializers.UUIDField(required=False, help_text="请求编号（一次请求或一次导入的全部条目）")
    since = MomentField(required=False, allow_blank=True, max_length=40,
                        help_text="起始时间（含）：ISO 8601 日期或日期时间；无时区按北京时间")
    until = MomentField(required=False, allow_blank=True, max_length=40,
                        help_text="截止时间：日期时间（含）或日期（含当天）；无时区按北京时间")


class AuditEntrySerializer(serializers.ModelSerializer):
    user = Text(source="actor_name", read_only=True, help_text="操作用户名（系统操作为 system）")
    action = serializers.ChoiceField(choices=Action.choices, read_only=True)
    before = serializers.JSONField(read_only=True, allow_null=True, help_text="修改前的值")
    after = serializers.JSONField(read_only=True, allow_null=True, help_text="修改后的值")

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "request_id", "user", "source", "ip", "action", "object_type", "object_id",
                  "object_repr", "before", "after", "reason"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="审计日志（仅审计管理员）", parameters=[AuditFilterSerializer],
                       responses={200: AuditEntrySerializer(many=True), **error_responses(400, 403, 404)}),
    retrieve=extend_schema(summary="审计日志条目（仅审计管理员）",
                           responses={200: AuditEntrySerializer, **error_responses(403, 404)}),
)
class AuditEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The append-only change log; nobody writes through the API."""
    access_policy = "read_audit_log"

    serializer_class = AuditEntrySerializer
    permission_classes = [permissions.IsAuthenticated, IsAuditor]
    queryset = AuditEntry.objects.all()
    filter_backends: list = []
    lookup_value_regex = "[^/]+"  # any id reaches the view, which answers a JSON 404

    def get_queryset(self) -> QuerySet[AuditEntry]:
        params = AuditFilterSerializer(data=query_data(self.request))
        params.is_valid(raise_exception=True)
        return audit_entries(user=self.request.user, filters=params.validated_data)

    def get_object(self) -> AuditEntry:
        entry = audit_entries(user=self.request.user).filter(pk=pk_from_path(self.kwargs.get("pk"))).first()
        if entry is None:
            raise NotFound("审计日志条目不存在")
        return entry

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(self.get_serializer(self.get_object()).data)
