"""API of organisations (read-only reference data), and the error shapes every API door shares.

Organisations are reference data, not business data: every signed-in user may list them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from tuijin.errors import NotFound
from tuijin.web.api import error_responses, pk_from_path

from .models import Org, OrgKind

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

    def get_queryset(self) -> QuerySet[Org]:
        qs = super().get_queryset()
        if self.action == "list":
            params = OrgFilterSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            if params.validated_data.get("kind"):
                qs = qs.filter(kind=params.validated_data["kind"])
        return qs

    def get_object(self) -> Org:
        org = Org.objects.select_related("parent").filter(pk=pk_from_path(self.kwargs.get("pk"))).first()
        if org is None:
            raise NotFound("组织不存在")
        return org

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


# ---------------------------------------------------------------------------
# API tokens


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="以 `Authorization: Token <token>` 请求头使用")


class TokenObtainView(ObtainAuthToken):
    """Exchange a user name and password for the user's API token (JSON only)."""

    parser_classes = [JSONParser]

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenSerializer, **error_responses(400)},
                   summary="获取 API 令牌", auth=[])
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)
