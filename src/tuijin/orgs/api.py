"""API of organisations (read-only reference data), and the error shapes every API door shares.

Organisations are reference data, not business data: every signed-in user may list them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from tuijin.toolkit.errors import NotFound, ValidationFailed
from tuijin.toolkit.http.api import JsonFlag, Text, TextRegex, error_responses, pk_from_path, query_data

from . import policy
from .models import ApiToken, Org, OrgKind, User
from .roles import Role

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
    access_policy = "signed_in"

    serializer_class = OrgSerializer
    queryset = Org.objects.select_related("parent")
    filter_backends: list = []
    lookup_value_regex = "[^/]+"  # any id reaches the view, which answers a JSON 404

    def get_queryset(self) -> QuerySet[Org]:
        qs = super().get_queryset()
        if self.action == "list":
            params = OrgFilterSerializer(data=query_data(self.request))
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
    token = Text(help_text="以 `Authorization: Token <token>` 请求头使用；只显示这一次")
    expires_at = serializers.DateTimeField(help_text="到期时间")


class TokenRequestSerializer(serializers.Serializer):
    username = Text(max_length=150)
    password = Text(max_length=256, trim_whitespace=False, style={"input_type": "password"})
    otp = Text(required=False, allow_blank=True, max_length=6,
                                help_text="动态口令（系统、安全、审计管理员必填）")
    name = Text(required=False, allow_blank=True, max_length=64, help_text="令牌名称（备注）")


class TokenObtainView(ObtainAuthToken):
    """Exchange a user name and password (and, for the three administrators, a TOTP code) for a new
    API token. The token is shown once; only its SHA-256 is kept; it expires (TUIJIN_API_TOKEN_DAYS).
    """
    access_policy = "public"

    parser_classes = [JSONParser]
    serializer_class = TokenRequestSerializer

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer, **error_responses(400)},
                   summary="获取 API 令牌", auth=[])
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from django.conf import settings
        from django.contrib.auth import authenticate

        from .lockout import GENERIC_MESSAGE
        from .services import api_token_issue

        params = TokenRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        user = authenticate(request=request._request, username=data["username"], password=data["password"])
        if user is None:
            raise ValidationFailed(GENERIC_MESSAGE)
        if user.must_change_password or user.password_expired():
            raise ValidationFailed("请先在网页上修改密码（初始密码、重置密码或已到期的密码）", field="password")
        if settings.TUIJIN_ADMIN_TOTP_REQUIRED and policy.can(user, "administer_system"):
            from django_otp import match_token

            if not data.get("otp") or match_token(user, data["otp"]) is None:
                raise ValidationFailed("管理员须提供正确的动态口令", field="otp")
        token, raw = api_token_issue(user=user, name=data.get("name", ""))
        return Response({"token": raw, "expires_at": token.expires_at})


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "revoked_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="我的 API 令牌（不含令牌值）",
                       responses={200: ApiTokenSerializer(many=True), **error_responses(400, 403, 404)}),
)
class ApiTokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own tokens; revoke one with POST …/{id}/revoke/."""
    access_policy = "signed_in"

    serializer_class = ApiTokenSerializer
    filter_backends: list = []
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[ApiToken]:
        return ApiToken.objects.filter(user=self.request.user)

    @extend_schema(request=None, summary="吊销 API 令牌",
                   responses={200: ApiTokenSerializer, **error_responses(403, 404)})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        from .services import api_token_revoke

        token = api_token_revoke(user=request.user, token_id=pk_from_path(pk))
        return Response(ApiTokenSerializer(token).data)


# ---------------------------------------------------------------------------
# Accounts: the security administrator (三员分立)


class AccountSerializer(serializers.ModelSerializer):
    org = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    roles = serializers.ListField(child=Text(), read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "org", "roles", "is_active", "account_expires",
                  "must_change_password"]
        read_only_fields = fields


@extend_schema_field({"type": "string", "nullable": True, "maxLength": 32,
                      "description": "单位代码；空字符串或 null 表示不属于任何单位"})
class OrgCodeField(serializers.SlugRelatedField):
    """An org by code; DRF reads "" as null for a nullable relation, and the schema says so."""


class AccountWriteSerializer(serializers.Serializer):
    username = TextRegex(r"^[A-Za-z0-9_.@+-]{1,150}$", required=False)
    full_name = Text(required=False, allow_blank=True, max_length=64)
    org = OrgCodeField(slug_field="code", queryset=Org.objects.all(), required=False, allow_null=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), required=False, max_length=8)
    is_active = JsonFlag(required=False)
    account_expires = serializers.DateField(required=False, allow_null=True)


class AccountCreatedSerializer(AccountSerializer):
    password = Text(read_only=True, help_text="随机初始密码，只显示这一次；首次登录必须修改")

    class Meta(AccountSerializer.Meta):
        fields = [*AccountSerializer.Meta.fields, "password"]
        read_only_fields = fields


class IsSecurityAdministrator(permissions.BasePermission):
    message = "只有安全管理员可以管理账户和角色"

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and policy.can(request.user, "manage_accounts"))


@extend_schema_view(
    list=extend_schema(summary="账户列表（安全管理员）",
                       responses={200: AccountSerializer(many=True), **error_responses(400, 403, 404)}),
    retrieve=extend_schema(summary="账户详情（安全管理员）", responses={200: AccountSerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="新建账户（随机初始密码）", request=AccountWriteSerializer,
                         responses={201: AccountCreatedSerializer, **error_responses(400, 403, 404)}),
    partial_update=extend_schema(summary="修改账户的角色、组织、状态", request=AccountWriteSerializer,
                                 responses={200: AccountSerializer, **error_responses(400, 403, 404)}),
)
class AccountViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Accounts and roles, managed by the security administrator only; never beyond its own scope."""
    access_policy = "manage_accounts"

    serializer_class = AccountSerializer
    permission_classes = [permissions.IsAuthenticated, IsSecurityAdministrator]
    filter_backends: list = []
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.select_related("org").order_by("username")

    def get_object(self) -> User:
        user = self.get_queryset().filter(pk=pk_from_path(self.kwargs.get("pk"))).first()
        if user is None:
            raise NotFound("账户不存在")
        return user

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(AccountSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        from .services import account_create

        params = AccountWriteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if not data.get("username"):
            raise ValidationFailed("请填写用户名", field="username")
        user, password = account_create(actor=request.user, username=data["username"], org=data.get("org"),
                                        roles=data.get("roles", []), full_name=data.get("full_name", ""),
                                        account_expires=data.get("account_expires"))
        return Response({**AccountSerializer(user).data, "password": password}, status=201)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        from .services import account_update

        user = self.get_object()
        params = AccountWriteSerializer(data=request.data, partial=True)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        kwargs: dict[str, Any] = {"roles": data.get("roles"), "org": data.get("org"),
                                  "is_active": data.get("is_active"), "full_name": data.get("full_name")}
        if "account_expires" in data:
            kwargs["account_expires"] = data["account_expires"]
        account_update(actor=request.user, user=user, **kwargs)
        user.refresh_from_db()
        return Response(AccountSerializer(user).data)

    @extend_schema(request=None, summary="重置密码（随机，只显示这一次）",
                   responses={200: AccountCreatedSerializer, **error_responses(403, 404)})
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request: Request, pk: str | None = None) -> Response:
        from .services import password_reset

        user = self.get_object()
        password = password_reset(actor=request.user, user=user)
        return Response({**AccountSerializer(user).data, "password": password})
