"""API of organisations (read-only reference data), and the error shapes every API door shares.

Organisations are reference data, not business data: every signed-in user may list them.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from tuijin.errors import NotFound

from .models import Org, OrgKind

# ---------------------------------------------------------------------------
# Shared by the API doors (the body ``tuijin.web.api.exception_handler`` returns)

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
# Organisations

class OrgSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                          help_text="上级组织代码")

    class Meta:
        model = Org
        fields = ["id", "code", "name", "short_name", "kind", "parent"]
        read_only_fields = fields


class OrgFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrgKind.choices, required=False, allow_blank=True,
                                   help_text="组织类型：city 市 / department 市政府部门 / district 区县（市） / zone 开发区")


@extend_schema_view(
    list=extend_schema(summary="组织列表", parameters=[OrgFilterSerializer], responses={
        200: OrgSerializer(many=True), **error_responses(400, 403, 404)}),
    retrieve=extend_schema(summary="组织详情", responses={200: OrgSerializer, **error_responses(403, 404)}),
)
class OrgViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The city, its departments and the 16 reporting units."""

    serializer_class = OrgSerializer
    queryset = Org.objects.select_related("parent")
    filter_backends: list = []
    lookup_value_regex = "[^/]+"  # any id reaches the view, which answers a JSON 404

    def get_queryset(self):  # noqa: ANN201
        qs = super().get_queryset()
        if self.action == "list":
            params = OrgFilterSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            if params.validated_data.get("kind"):
                qs = qs.filter(kind=params.validated_data["kind"])
        return qs

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        org = self.get_queryset().filter(pk=pk_from_path(pk)).first()
        if org is None:
            raise NotFound("组织不存在")
        return Response(self.get_serializer(org).data)
