"""API of the project library: a thin door onto the selectors and services.

Serializers only parse JSON into Python values and shape projects into JSON; every rule
of the domain (codes, money, dates, scope, stage checks) is applied by the services,
whose ``ApplicationError`` becomes a 400/403/404/409 in ``tuijin.toolkit.http.api.exception_handler``.

Money (``total_investment`` and the ``annual_plans`` values) is in 万元, exact to 4 decimal
places (1 元): responses give it as a decimal string (``"1234.5678"``); requests may send a
decimal string or a JSON number.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tuijin.orgs import policy
from tuijin.plan import latest_plan
from tuijin.toolkit.errors import PermissionRefused, StaleEdit
from tuijin.toolkit.http.api import (
    QUARTER_PATTERN,
    Coded,
    ErrorSerializer,
    Text,
    WholeBody,
    error_responses,
    pk_from_path,
    query_data,
)

from . import services
from .models import ApprovalItem, ApprovalStatus, InvestmentType, Nature, Project, Stage, Tag
from .rules import STAGE_LABELS
from .selectors import project_detail, project_list
from .services import PROGRAMME_FIELDS

MONEY_HELP = "万元，精确到4位小数；响应为十进制字符串，请求可为十进制字符串或JSON数字"


def _plan_codes(rule: str) -> list[str]:
    """The codes of one of the plan's code lists (``rules.<rule>``), for the schema built at import time
    (no clock, no database: the latest plan's; the services check each value against the current plan)."""
    codes = getattr(latest_plan().rules, rule, None)
    return list(codes.codes()) if codes else []


class MoneyField(serializers.DecimalField):
    """An amount in 万元 with 4 decimal places (1 元); a decimal string out, a string or number in."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("coerce_to_string", True)
        kwargs.setdefault("help_text", MONEY_HELP)
        super().__init__(**kwargs)


class StageField(serializers.ChoiceField):
    """A project library (``Stage``), documented once as the ``ProjectStage`` component."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Stage.choices, **kwargs)


class StageFieldSchema(OpenApiSerializerFieldExtension):
    # One named enum for every stage field ("stage", "from", "to"), instead of one per field name.
    target_class = StageField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        component = ResolvedComponent(
            name="ProjectStage", type=ResolvedComponent.SCHEMA, object="ProjectStage",
            schema={"type": "string", "enum": list(Stage.values),
                    "description": "项目库：" + "；".join(f"`{code}` {label}" for code, label in STAGE_LABELS.items())},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def money_in(**kwargs: Any) -> MoneyField:
    # 10 integer digits is far above any real project (the services cap at 5000亿); it only bounds parsing.
    return MoneyField(max_digits=14, **kwargs)


# ---------------------------------------------------------------------------
# Responses

class StageMoveSerializer(serializers.Serializer):
    """One move between libraries: from, to, when, who, why."""

    def get_fields(self) -> dict[str, serializers.Field]:
        # "from" is a Python keyword, so the fields are declared here rather than as attributes.
        return {
            "from": StageField(source="from_stage", read_only=True),
            "to": StageField(source="to_stage", read_only=True),
            "at": serializers.DateTimeField(read_only=True),
            "actor": Text(source="actor.username", read_only=True, allow_null=True,
                                           default=None, help_text="操作用户名"),
            "reason": Text(read_only=True),
        }


class ApprovalItemSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                              help_text="审批部门代码")
    status = serializers.ChoiceField(choices=ApprovalStatus.choices, read_only=True)

    class Meta:
        model = ApprovalItem
        fields = ["id", "code", "name", "department", "status", "due_date", "approved_on"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    """A project as the list shows it (every field of the glossary)."""

    unit = Text(source="unit.code", read_only=True, help_text="报送单位代码（区县（市）/开发区）")
    stage = StageField(read_only=True)
    nature = serializers.ChoiceField(choices=Nature.choices, read_only=True)
    investment_type = serializers.ChoiceField(choices=InvestmentType.choices, read_only=True)
    total_investment = MoneyField(read_only=True, help_text=f"总投资，{MONEY_HELP}")
    annual_plans = serializers.SerializerMethodField(help_text=f"年度计划投资：年份 → 金额（{MONEY_HELP}）")
    tags = serializers.SerializerMethodField(help_text="标签代码")
    departments = serializers.SerializerMethodField(help_text="责任部门代码")

    class Meta:
        model = Project
        fields = [
            "id", "project_code", "name", "unit", "stage", "category", "field", "nature", "investment_type",
            "total_investment", "annual_plans", "planned_start", "planned_end", "actual_start", "actual_end",
            "tags", "departments", "leader", "owner_name", "owner_uscc", "leading_industry", "address",
            "lat", "lon", "content", "contact_name", "contact_phone", "in_statistics", "statistics_date",
            "green_channel", "green_channel_reason", "version", "created_at", "updated_at",
            *PROGRAMME_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=MoneyField()))
    def get_annual_plans(self, project: Project) -> dict[str, str]:
        money = MoneyField()
        return {str(p.year): money.to_representation(p.amount) for p in project.annual_plans.all()}

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Tag.choices)))
    def get_tags(self, project: Project) -> list[str]:
        return project.tag_codes()

    @extend_schema_field(serializers.ListField(child=Text()))
    def get_departments(self, project: Project) -> list[str]:
        return [d.code for d in project.departments.all()]


class ProjectDetailSerializer(ProjectSerializer):
    """A project with its stage history and approval items."""

    stage_moves = StageMoveSerializer(many=True, read_only=True)
    approval_items = ApprovalItemSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "stage_moves", "approval_items"]
        read_only_fields = fields


class ProjectConflictSerializer(ErrorSerializer):
    """409: a refused stage move (``errors.to`` lists the unmet checks) or a stale ``version``."""

    current = ProjectDetailSerializer(required=False, help_text="版本过期时：项目的当前值")


# ---------------------------------------------------------------------------
# Requests

class ProjectWriteSerializer(serializers.Serializer):
    """Fields of a project that a request may set; absent fields are left as they are."""

    project_code = Text(required=False, allow_null=True, allow_blank=True,
                                         help_text="项目代码 YYYY-AAAAAA-BB-CC-NNNNNN（24位）")
    name = Text(required=False, max_length=200, help_text="项目名称")
    unit = Text(required=False, max_length=32, help_text="报送单位代码")
    category = Text(required=False, max_length=32, help_text="投资类别代码（计划文件 categories）")
    field = Text(required=False, max_length=32, help_text="八大领域代码（计划文件 fields）")
    nature = serializers.ChoiceField(choices=Nature.choices, required=False)
    investment_type = serializers.ChoiceField(choices=InvestmentType.choices, required=False)
    total_investment = money_in(required=False)
    annual_plans = serializers.DictField(child=money_in(), required=False,
                                         help_text=f"年度计划投资：4位年份 → 金额（{MONEY_HELP}）")
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)
    actual_start = serializers.DateField(required=False, allow_null=True)
    actual_end = serializers.DateField(required=False, allow_null=True)
    tags = serializers.ListField(child=serializers.ChoiceField(choices=Tag.choices), required=False)
    departments = serializers.ListField(child=Text(max_length=32), required=False,
                                        help_text="责任部门代码")
    leader = Text(required=False, allow_blank=True, max_length=64, help_text="联系市领导")
    owner_name = Text(required=False, allow_blank=True, max_length=200)
    owner_uscc = Text(required=False, allow_blank=True, max_length=32,
                                       help_text="项目单位统一社会信用代码（18位）")
    leading_industry = Text(required=False, allow_blank=True, max_length=32,
                                             help_text="主导产业代码（计划文件 leading_industries）")
    address = Text(required=False, allow_blank=True, max_length=200)
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    content = Text(required=False, allow_blank=True, max_length=10000)
    contact_name = Text(required=False, allow_blank=True, max_length=64)
    contact_phone = Text(required=False, allow_blank=True, max_length=32)
    in_statistics = serializers.BooleanField(required=False)
    statistics_date = serializers.DateField(required=False, allow_null=True)
    green_channel = serializers.BooleanField(required=False)
    green_channel_reason = Text(required=False, allow_blank=True, max_length=200)
    # Programmes (二(二)6–7, 二(三)9, 二(五)13); codes from the plan file.
    maturity = Coded(enum=_plan_codes("maturity_levels"),
                  required=False, allow_blank=True, max_length=32,
                                     help_text="项目成熟度代码（计划文件 rules.maturity_levels）")
    reconstruction_category = Coded(enum=_plan_codes("reconstruction_categories"),
                  required=False, allow_blank=True, max_length=32,
                                                    help_text="灾后重建类别代码（rules.reconstruction_categories）")
    reservoir_name = Text(required=False, allow_blank=True, max_length=100,
                                           help_text="水库名称（一库一案）")
    land_need_mu = serializers.DecimalField(required=False, allow_null=True, max_digits=12, decimal_places=2,
                                            min_value=0, help_text="用地需求（亩）")
    land_quota_status = Coded(enum=_plan_codes("land_quota_statuses"),
                  required=False, allow_blank=True, max_length=32,
                                              help_text="用地指标落实情况代码（rules.land_quota_statuses）")
    land_priority = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1,
                                             help_text="用地指标优先保障顺序")
    whitelist_quarter = Coded(QUARTER_PATTERN, required=False, allow_blank=True, max_length=6,
                              help_text="纳入重大项目白名单的季度 YYYYQn")
    in_production_on = serializers.DateField(required=False, allow_null=True, help_text="投产日期")
    at_capacity_on = serializers.DateField(required=False, allow_null=True, help_text="达产达效日期")


class ProjectCreateSerializer(ProjectWriteSerializer):
    name = Text(max_length=200, help_text="项目名称")
    unit = Text(max_length=32, help_text="报送单位代码")
    category = Text(max_length=32, help_text="投资类别代码（计划文件 categories）")
    field = Text(max_length=32, help_text="八大领域代码（计划文件 fields）")
    total_investment = money_in(help_text=f"总投资，{MONEY_HELP}")


class ProjectPatchSerializer(WholeBody, ProjectWriteSerializer):
    """Every other field is optional already; ``version`` stays required (see :class:`WholeBody`)."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                       help_text="您读取时的版本号；已被他人修改时返回409")


class ProjectPutSerializer(ProjectCreateSerializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                       help_text="您读取时的版本号；已被他人修改时返回409")


class StageAdvanceSerializer(serializers.Serializer):
    to = StageField(help_text="目标项目库")
    reason = Text(required=False, allow_blank=True, max_length=500, default="",
                                   help_text="原因（取消项目时必填）")
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1,
                                       help_text="可选：您读取时的版本号")


class ProjectFilterSerializer(serializers.Serializer):
    unit = Text(required=False, allow_blank=True, max_length=32, help_text="报送单位代码")
    stage = StageField(required=False, allow_blank=True, help_text="项目库")
    field = Text(required=False, allow_blank=True, max_length=32, help_text="领域代码")
    category = Text(required=False, allow_blank=True, max_length=32, help_text="投资类别代码")
    tag = serializers.ChoiceField(choices=Tag.choices, required=False, allow_blank=True, help_text="标签代码")
    q = Text(required=False, allow_blank=True, max_length=100,
                              help_text="在项目名称、项目代码、项目单位中查找")


# ---------------------------------------------------------------------------
# Views

_CREATE_EXAMPLE = OpenApiExample(
    "金水区新建项目",
    request_only=True,
    value={
        "name": "金水区数据中心项目", "unit": "jinshui", "category": "infrastructure", "field": "new_infrastructure",
        "nature": "new", "investment_type": "enterprise", "total_investment": "12345.6789",
        "annual_plans": {"2022": "3000.0000"}, "planned_start": "2022-04-01", "planned_end": "2023-12-31",
        "tags": ["city_key"], "departments": ["fgw"], "owner_name": "河南数据有限公司",
        "owner_uscc": "91410105MA9G1RT2A5", "lat": 34.8, "lon": 113.66,
    },
)
_PATCH_EXAMPLE = OpenApiExample("修改总投资", request_only=True,
                                value={"version": 1, "total_investment": "60000.5", "contact_phone": "0371-12345678"})
_ADVANCE_EXAMPLE = OpenApiExample("转入拟开工库", request_only=True, value={"to": "ready", "reason": "前期手续已完成"})
_WRITE_ERRORS = error_responses(400, 403, 404)
_CONFLICT = {409: OpenApiResponse(ProjectConflictSerializer, description="版本已过期（current 为当前值）")}


@extend_schema_view(
    list=extend_schema(summary="项目列表", parameters=[ProjectFilterSerializer],
                       responses={200: ProjectSerializer(many=True), **error_responses(400, 403, 404)}),
    retrieve=extend_schema(summary="项目详情", responses={200: ProjectDetailSerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="新建项目（进入储备库）", request=ProjectCreateSerializer, examples=[_CREATE_EXAMPLE],
                         responses={201: ProjectDetailSerializer, **error_responses(400, 403)}),
    partial_update=extend_schema(summary="修改项目（须带 version）", request=ProjectPatchSerializer,
                                 examples=[_PATCH_EXAMPLE],
                                 responses={200: ProjectDetailSerializer, **_WRITE_ERRORS, **_CONFLICT}),
    update=extend_schema(summary="修改项目（须带必填字段和 version；未给出的其他字段不变）",
                         request=ProjectPutSerializer,
                         responses={200: ProjectDetailSerializer, **_WRITE_ERRORS, **_CONFLICT}),
)
class ProjectViewSet(viewsets.GenericViewSet):
    """Projects the user may see (``Project.objects.visible_to`` through the selectors)."""
    access_policy = "signed_in"

    serializer_class = ProjectSerializer
    queryset = Project.objects.none()  # names the model for the schema; reads go through the selectors
    filter_backends: list = []
    lookup_value_regex = "[^/]+"  # any id reaches the view, which answers a JSON 404

    def get_queryset(self) -> QuerySet[Project]:
        params = ProjectFilterSerializer(data=query_data(self.request))
        params.is_valid(raise_exception=True)
        return project_list(user=self.request.user, filters=params.validated_data).prefetch_related(
            "departments", "annual_plans"
        )

    def get_object(self) -> Project:
        return project_detail(user=self.request.user, project_id=pk_from_path(self.kwargs.get("pk")))

    def _detail(self, project_id: int) -> dict[str, Any]:
        return ProjectDetailSerializer(project_detail(user=self.request.user, project_id=project_id)).data

    def _stale(self, exc: StaleEdit, project_id: int) -> StaleEdit:
        """The same refusal, carrying the current values in the API's own shape."""
        return StaleEdit(exc.message, errors={"version": [exc.message]},
                         extra={"current": self._detail(project_id)})

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ProjectSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(ProjectDetailSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        if not policy.can(request.user, "write_business_data"):
            raise PermissionRefused("您的角色只能查看，不能新建项目")
        body = ProjectCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.project_create(actor=request.user, data=dict(body.validated_data))
        return Response(self._detail(project.pk), status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str | None = None) -> Response:
        return self._update(request, pk, ProjectPutSerializer)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self._update(request, pk, ProjectPatchSerializer)

    def _update(self, request: Request, pk: str | None, serializer_class: type[serializers.Serializer]) -> Response:
        project_id = pk_from_path(pk)
        # Out of scope → 404 and read-only → 403 before the body is looked at.
        services.get_editable_project(actor=request.user, project_id=project_id)
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version")
        try:
            services.project_update(actor=request.user, project_id=project_id, data=data, version=version)
        except StaleEdit as exc:
            raise self._stale(exc, project_id) from exc
        return Response(self._detail(project_id))

    @extend_schema(
        summary="项目转段（移入下一项目库或取消）",
        request=StageAdvanceSerializer,
        examples=[_ADVANCE_EXAMPLE],
        responses={
            200: ProjectDetailSerializer,
            **_WRITE_ERRORS,
            409: OpenApiResponse(ProjectConflictSerializer,
                                 description="转段被拒绝：errors.to 列出未满足的条件；或版本已过期（current 为当前值）"),
        },
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        project_id = pk_from_path(pk)
        services.get_editable_project(actor=request.user, project_id=project_id)
        body = StageAdvanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.project_advance_stage(actor=request.user, project_id=project_id,
                                           to_stage=body.validated_data["to"],
                                           reason=body.validated_data.get("reason", ""),
                                           version=body.validated_data.get("version"))
        except StaleEdit as exc:
            raise self._stale(exc, project_id) from exc
        return Response(self._detail(project_id))

