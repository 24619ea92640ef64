"""API of monthly reporting: periods, the units' submissions and their workflow, progress rows, import.

A thin door onto ``reporting.services`` (the same as the pages): serializers parse JSON and shape
rows; scope, rules and state checks live in the services, whose ``ApplicationError`` becomes
400/403/404/409 in ``tuijin.toolkit.http.api.exception_handler``.

Money (``month_amount``, ``ytd_amount``, ``cumulative_amount``, ``annual_plan``) is in 万元, exact to
4 decimal places (1 元): a decimal string in responses; a decimal string or a JSON number in requests.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from tuijin.jobs import uploads
from tuijin.jobs.api import JobAcceptedSerializer, import_response
from tuijin.orgs import policy
from tuijin.projects.api import MONEY_HELP, MoneyField, money_in
from tuijin.toolkit.errors import ApplicationError, NotFound, PermissionRefused, ValidationFailed
from tuijin.toolkit.http.api import (
    MAX_PK,
    PERIOD_PATTERN,
    Coded,
    ErrorSerializer,
    FormFlag,
    ImportIssueSerializer,
    Text,
    WholeBody,
    error_responses,
    pk_from_path,
    query_data,
)
from tuijin.toolkit.money import yuan_to_wan

from . import calendar, rules, selectors, services
from .importing import PROGRESS
from .models import Period, ProgressReport, SubmissionStatus, UnitPeriod

STATUS_HELP = "填报状态：`draft` 填报中 / `submitted` 已报送 / `returned` 已退回 / `approved` 已审核锁定"
PROGRESS_STATUS_HELP = ("与序时进度相比：`ahead` 超前（高于序时进度达计划文件规定的百分点）/ `normal` 正常 / "
                        "`lagging` 滞后（低于序时进度）/ `no_plan` 无年度计划")
PERIOD_HELP = "报送期 YYYY-MM"
UNIT_HELP = "报送单位代码（区县（市）/开发区）"


class SubmissionStatusField(serializers.ChoiceField):
    """A submission status, documented once as the ``SubmissionStatus`` component."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", STATUS_HELP)
        super().__init__(choices=SubmissionStatus.choices, **kwargs)


class SubmissionStatusFieldSchema(OpenApiSerializerFieldExtension):
    target_class = SubmissionStatusField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        component = ResolvedComponent(
            name="SubmissionStatus", type=ResolvedComponent.SCHEMA, object="SubmissionStatus",
            schema={"type": "string", "enum": list(SubmissionStatus.values), "description": STATUS_HELP},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class WanFromYuanField(MoneyField):
    """A stored integer amount of yuan, shown in 万元."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return None if value is None else super().to_representation(yuan_to_wan(value))


# ---------------------------------------------------------------------------
# Periods and submissions

class PeriodSerializer(serializers.ModelSerializer):
    time_progress = serializers.SerializerMethodField(help_text="序时进度（%）：到本月末全年已过的比例")

    class Meta:
        model = Period
        fields = ["code", "year", "month", "opens_on", "deadline", "time_progress"]
        read_only_fields = fields
        extra_kwargs = {"deadline": {"help_text": "报送截止日：计划文件规定的次月第N个工作日（按国家法定节假日调休计算）"},
                        "opens_on": {"help_text": "开始报送的日期"}}

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2))
    def get_time_progress(self, period: Period) -> str:
        return str(rules.time_progress(period.month))


class SubmissionSerializer(serializers.Serializer):
    """One unit's submission of one period."""

    unit = Text(source="unit.code", help_text=UNIT_HELP)
    unit_name = Text(source="unit.name")
    period = Text(source="period.code", help_text=PERIOD_HELP)
    status = SubmissionStatusField()
    late = serializers.BooleanField(help_text="是否逾期报送（首次报送晚于截止日）")
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_by = Text(source="submitted_by.username", allow_null=True, default=None)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    reviewed_by = Text(source="reviewed_by.username", allow_null=True, default=None)
    return_reason = Text(allow_blank=True, help_text="整体退回原因（逐项目的原因见各填报记录）")
    version = serializers.IntegerField()


class SubmissionLineSerializer(serializers.Serializer):
    """A unit on the period's dashboard: its submission and how far its rows are."""

    unit = Text(source="unit.code", help_text=UNIT_HELP)
    unit_name = Text(source="unit.name")
    status = SubmissionStatusField(source="submission.status")
    late = serializers.BooleanField(source="submission.late", help_text="是否逾期报送")
    overdue = serializers.BooleanField(help_text="已过截止日仍未报送")
    submitted_at = serializers.DateTimeField(source="submission.submitted_at", allow_null=True)
    reviewed_at = serializers.DateTimeField(source="submission.reviewed_at", allow_null=True)
    return_reason = Text(source="submission.return_reason", allow_blank=True)
    expected = serializers.IntegerField(help_text="应报项目数")
    filled = serializers.IntegerField(help_text="已填报项目数")


class PeriodDetailSerializer(PeriodSerializer):
    submissions = serializers.SerializerMethodField(help_text="您可查看的各报送单位的报送情况")

    class Meta(PeriodSerializer.Meta):
        fields = [*PeriodSerializer.Meta.fields, "submissions"]
        read_only_fields = fields

    @extend_schema_field(SubmissionLineSerializer(many=True))
    def get_submissions(self, period: Period) -> list[dict[str, Any]]:
        lines = selectors.period_dashboard(user=self.context["request"].user, period=period)
        return SubmissionLineSerializer(lines, many=True).data


class MissingProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project_code = Text(allow_null=True)
    name = Text()


class SubmitConflictSerializer(ErrorSerializer):
    """409: wrong state, or reportable projects without a row (``missing`` lists them)."""

    missing = MissingProjectSerializer(many=True, required=False, help_text="未填报的应报项目")


class ReturnRequestSerializer(serializers.Serializer):
    reason = Text(required=False, allow_blank=True, max_length=2000, default="",
                                   help_text="整体退回原因；只给 projects 时可省略")
    projects = serializers.DictField(child=Text(max_length=500, allow_blank=True), required=False,
                                     help_text="逐项目退回：项目编号 → 退回原因；只退回这些项目，其余保持已报送")


# ---------------------------------------------------------------------------
# Progress rows

class ProgressSerializer(serializers.ModelSerializer):
    """A project's month (ytd and cumulative are derived, never typed)."""

    project = serializers.IntegerField(source="project_id", help_text="项目编号")
    project_code = Text(source="project.project_code", allow_null=True, help_text="项目代码")
    project_name = Text(source="project.name")
    unit = Text(source="unit.code", help_text=UNIT_HELP)
    period = Text(source="period.code", help_text=PERIOD_HELP)
    month_amount = WanFromYuanField(source="month_amount_yuan", help_text=f"本月完成投资，{MONEY_HELP}")
    ytd_amount = WanFromYuanField(source="ytd_amount_yuan", help_text=f"本年累计完成投资（派生），{MONEY_HELP}")
    cumulative_amount = WanFromYuanField(source="cumulative_amount_yuan",
                                         help_text=f"开工累计完成投资（派生），{MONEY_HELP}")
    annual_plan = WanFromYuanField(source="annual_plan_yuan", allow_null=True, default=None,
                                   help_text=f"本年度计划投资，{MONEY_HELP}")
    completion_rate = serializers.SerializerMethodField(help_text="本年累计占年度计划的百分比")
    progress_status = serializers.SerializerMethodField(help_text=PROGRESS_STATUS_HELP)
    percent_complete = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True,
                                                help_text="完成百分比（0–100）")
    status = SubmissionStatusField()

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "project_code", "project_name", "unit", "period", "month_amount", "ytd_amount",
                  "cumulative_amount", "annual_plan", "completion_rate", "progress_status", "physical_progress",
                  "percent_complete", "started", "notes", "status", "return_reason", "version", "updated_at"]
        read_only_fields = fields

    def _plan(self, row: ProgressReport) -> int | None:
        return getattr(row, "annual_plan_yuan", None)

    @extend_schema_field(serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True))
    def get_completion_rate(self, row: ProgressReport) -> str | None:
        rate = rules.completion_rate(row.ytd_amount_yuan, self._plan(row))
        return None if rate is None else str(rate)

    @extend_schema_field(serializers.ChoiceField(choices=[rules.AHEAD, rules.NORMAL, rules.LAGGING, rules.NO_PLAN]))
    def get_progress_status(self, row: ProgressReport) -> str:
        margins = self.context.setdefault("margins", {})  # one plan reading per year on the page
        key = (row.period.year, row.period.month)
        margin = margins.get(key)
        if margin is None:
            margin = margins[key] = calendar.ahead_margin(*key)
        return rules.progress_status(ytd_yuan=row.ytd_amount_yuan, annual_plan_yuan=self._plan(row),
                                     month=row.period.month, ahead_margin_points=margin)


def _percent_in(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100),
                                    allow_null=True, help_text="完成百分比（0–100，最多2位小数）", **kwargs)


class ProgressWriteSerializer(serializers.Serializer):
    month_amount = money_in(required=False, min_value=Decimal(0), help_text=f"本月完成投资，{MONEY_HELP}")
    physical_progress = Text(required=False, allow_blank=True, max_length=500, help_text="形象进度")
    percent_complete = _percent_in(required=False)
    started = serializers.BooleanField(required=False, help_text="是否已开工")
    notes = Text(required=False, allow_blank=True, max_length=500, help_text="备注")


class ProgressCreateSerializer(ProgressWriteSerializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_PK, help_text="项目编号")
    period = Coded(PERIOD_PATTERN, max_length=7, help_text=PERIOD_HELP)
    month_amount = money_in(min_value=Decimal(0), help_text=f"本月完成投资，{MONEY_HELP}")


class ProgressPatchSerializer(WholeBody, ProgressWriteSerializer):
    """Every other field is optional already; ``version`` stays required (see :class:`WholeBody`)."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                       help_text="您读取时的版本号；已被他人修改时返回409")


class ProgressPutSerializer(ProgressWriteSerializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                       help_text="您读取时的版本号；已被他人修改时返回409")
    month_amount = money_in(min_value=Decimal(0), help_text=f"本月完成投资，{MONEY_HELP}")


class ProgressFilterSerializer(serializers.Serializer):
    period = Coded(PERIOD_PATTERN, required=False, allow_blank=True, max_length=7, help_text=PERIOD_HELP)
    unit = Text(required=False, allow_blank=True, max_length=32, help_text=UNIT_HELP)
    project = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PK, help_text="项目编号")
    status = SubmissionStatusField(required=False, allow_blank=True)


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="按本系统模板填写的 .xlsx 文件")
    period = Coded(PERIOD_PATTERN, max_length=7, help_text=PERIOD_HELP)
    unit = Text(max_length=32, help_text=UNIT_HELP)
    dry_run = FormFlag(required=False, default=False, help_text="只校验、不写入")


class ImportSummarySerializer(serializers.Serializer):
    rows = serializers.IntegerField(required=False, help_text="数据行数")
    created = serializers.IntegerField(required=False, help_text="新增（或试导入时将新增）的行数")
    updated = serializers.IntegerField(required=False, help_text="更新的行数")
    unchanged = serializers.IntegerField(required=False, help_text="无变化的行数")
    cascaded = serializers.IntegerField(required=False, help_text="重算累计的后续月份行数")
    batch = Text(allow_null=True, required=False, help_text="导入批次号（审计日志的请求编号）")
    period = Text(required=False)
    unit = Text(required=False)
    dry_run = serializers.BooleanField(required=False)
    error_count = serializers.IntegerField(required=False)
    warning_count = serializers.IntegerField(required=False)


class ImportResultSerializer(serializers.Serializer):
    """The same JSON as ``tuijin import-progress --json``."""

    ok = serializers.BooleanField(help_text="没有错误（有错误时不写入任何数据）")
    errors = ImportIssueSerializer(many=True, help_text="全部错误（工作表、行、列、原因）")
    warnings = ImportIssueSerializer(many=True, help_text="数据质量提示（不阻止导入）")
    summary = ImportSummarySerializer()
    changes = serializers.ListField(child=serializers.DictField(child=serializers.JSONField()), required=False,
                                    help_text="变化的行（前若干行）：行号、项目、新增或更新、修改前后的值")


# ---------------------------------------------------------------------------
# Views

_PERIOD_PARAM = OpenApiParameter("period", OpenApiTypes.STR, OpenApiParameter.PATH, description=PERIOD_HELP)
_UNIT_PARAM = OpenApiParameter("unit", OpenApiTypes.STR, OpenApiParameter.PATH, description=UNIT_HELP)
_ACTION_ERRORS = {**error_responses(400, 403, 404),
                  409: OpenApiResponse(ErrorSerializer, description="与当前状态冲突（如尚未报送、已审核锁定）")}


@extend_schema_view(
    list=extend_schema(summary="报送期列表", responses={200: PeriodSerializer(many=True), **error_responses(400, 403, 404)}),
    retrieve=extend_schema(summary="报送期详情（含截止日和各单位报送情况）", parameters=[_PERIOD_PARAM],
                           responses={200: PeriodDetailSerializer, **error_responses(403, 404)}),
)
class PeriodViewSet(viewsets.GenericViewSet):
    """Reporting periods (YYYY-MM) with their deadlines, and the units' submission workflow."""
    access_policy = "signed_in"

    serializer_class = PeriodSerializer
    queryset = Period.objects.none()
    filter_backends: list = []
    lookup_field = "code"
    lookup_url_kwarg = "period"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Period]:
        return Period.objects.order_by("-year", "-month")

    def _period(self, code: str | None) -> Period:
        try:
            return services.period_get(code or "")
        except ApplicationError:
            raise NotFound("报送期不存在（应为 YYYY-MM）") from None

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PeriodSerializer(page, many=True).data)

    def retrieve(self, request: Request, period: str | None = None) -> Response:
        return Response(PeriodDetailSerializer(self._period(period), context={"request": request}).data)

    def _done(self, up: UnitPeriod) -> Response:
        up = UnitPeriod.objects.select_related("unit", "period", "submitted_by", "reviewed_by").get(pk=up.pk)
        return Response(SubmissionSerializer(up).data)

    @extend_schema(summary="报送单位报送本期（整体报送）", request=None, parameters=[_PERIOD_PARAM, _UNIT_PARAM],
                   responses={200: SubmissionSerializer, **error_responses(400, 403, 404),
                              409: OpenApiResponse(SubmitConflictSerializer,
                                                   description="已报送或已锁定；或有应报项目未填报（missing 列出）")})
    @action(detail=True, methods=["post"], url_path=r"units/(?P<unit>[^/]+)/submit")
    def submit(self, request: Request, period: str | None = None, unit: str | None = None) -> Response:
        return self._done(services.unit_period_submit(actor=request.user, unit_code=unit or "",
                                                      period_code=period or ""))

    @extend_schema(summary="市发展改革委审核通过（锁定）", request=None, parameters=[_PERIOD_PARAM, _UNIT_PARAM],
                   responses={200: SubmissionSerializer, **_ACTION_ERRORS})
    @action(detail=True, methods=["post"], url_path=r"units/(?P<unit>[^/]+)/approve")
    def approve(self, request: Request, period: str | None = None, unit: str | None = None) -> Response:
        return self._done(services.unit_period_approve(actor=request.user, unit_code=unit or "",
                                                       period_code=period or ""))

    @extend_schema(summary="市发展改革委退回（整体或逐项目，附原因）", request=ReturnRequestSerializer,
                   parameters=[_PERIOD_PARAM, _UNIT_PARAM],
                   examples=[OpenApiExample("逐项目退回", request_only=True,
                                            value={"reason": "", "projects": {"123": "本月投资与形象进度不符"}}),
                             OpenApiExample("整体退回", request_only=True, value={"reason": "多个项目形象进度未填写"})],
                   responses={200: SubmissionSerializer, **_ACTION_ERRORS})
    @action(detail=True, methods=["post"], url_path=r"units/(?P<unit>[^/]+)/return")
    def return_(self, request: Request, period: str | None = None, unit: str | None = None) -> Response:
        body = ReturnRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(services.unit_period_return(
            actor=request.user, unit_code=unit or "", period_code=period or "",
            reason=body.validated_data.get("reason", ""), project_reasons=body.validated_data.get("projects")))


_STALE = {409: OpenApiResponse(ErrorSerializer, description="版本已过期，或本期已报送/已锁定（锁定后请提交更正申请）")}


@extend_schema_view(
    list=extend_schema(summary="月度进展填报列表", parameters=[ProgressFilterSerializer],
                       responses={200: ProgressSerializer(many=True), **error_responses(400, 403, 404)}),
    retrieve=extend_schema(summary="填报记录详情", responses={200: ProgressSerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="新增本月填报（草稿）", request=ProgressCreateSerializer,
                         examples=[OpenApiExample("填报", request_only=True, value={
                             "project": 1, "period": "2022-07", "month_amount": "1200.5", "physical_progress": "主体结构施工",
                             "percent_complete": "45", "started": True, "notes": ""})],
                         responses={201: ProgressSerializer, **error_responses(400, 403, 404), **_STALE}),
    partial_update=extend_schema(summary="修改填报（须带 version）", request=ProgressPatchSerializer,
                                 responses={200: ProgressSerializer, **error_responses(400, 403, 404), **_STALE}),
    update=extend_schema(summary="修改填报（须带 version 和本月完成投资）", request=ProgressPutSerializer,
                         responses={200: ProgressSerializer, **error_responses(400, 403, 404), **_STALE}),
)
class ProgressViewSet(viewsets.GenericViewSet):
    """Monthly progress rows the user may see (``ProgressReport.objects.visible_to``)."""
    access_policy = "signed_in"

    serializer_class = ProgressSerializer
    queryset = ProgressReport.objects.none()
    filter_backends: list = []
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[ProgressReport]:
        params = ProgressFilterSerializer(data=query_data(self.request))
        params.is_valid(raise_exception=True)
        if params.validated_data.get("period"):
            try:
                rules.parse_period(params.validated_data["period"])
            except ValueError as exc:
                raise ValidationFailed(str(exc), field="period") from exc
        return selectors.progress_list(user=self.request.user, filters=params.validated_data)

    def _row(self, report_id: int, status_code: int = status.HTTP_200_OK) -> Response:
        row = selectors.progress_detail(user=self.request.user, report_id=report_id)
        return Response(ProgressSerializer(row, context={"request": self.request}).data, status=status_code)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ProgressSerializer(page, many=True, context={"request": request}).data)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return self._row(pk_from_path(pk))

    def create(self, request: Request) -> Response:
        if not policy.can(request.user, "write_business_data"):
            raise PermissionRefused("您的角色只能查看，不能填报")
        body = ProgressCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        project_id, period_code = data.pop("project"), data.pop("period")
        # One transaction for the save and the read-back: the response shows the version this save made,
        # never a later one (a concurrent save waits on the unit-period lock until this commits).
        with transaction.atomic():
            row = services.report_save(actor=request.user, project_id=project_id, period_code=period_code, data=data)
            return self._row(row.pk, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str | None = None) -> Response:
        return self._update(request, pk, ProgressPutSerializer)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self._update(request, pk, ProgressPatchSerializer)

    def _update(self, request: Request, pk: str | None, serializer_class: type[serializers.Serializer]) -> Response:
        row = selectors.progress_detail(user=request.user, report_id=pk_from_path(pk))
        if not ProgressReport.objects.editable_by(request.user).filter(pk=row.pk).exists():
            raise PermissionRefused("您对该填报记录只有查看权限")
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version")
        with transaction.atomic():  # the save and its read-back together (see create)
            services.report_save(actor=request.user, project_id=row.project_id, period_code=row.period.code,
                                 data=data, version=version)
            return self._row(row.pk)

    @extend_schema(
        summary="导入月度进展 Excel（与命令行 import-progress --json 的结果相同）",
        request={"multipart/form-data": ImportRequestSerializer},
        responses={200: OpenApiResponse(ImportResultSerializer, description="校验结果；ok 为 false 时未写入任何数据"),
                   202: OpenApiResponse(JobAcceptedSerializer, description="行数较多，已转入后台任务"),
                   **error_responses(400, 403, 404, 415)},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request) -> Response:
        body = ImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        period = services.period_get(body.validated_data["period"])
        unit = selectors.unit_get(user=request.user, code=body.validated_data["unit"])
        admission = uploads.admit(PROGRESS, actor=request.user, door=uploads.API, period=period.code, unit=unit.code)
        return import_response(admission.receive(body.validated_data["file"], dry_run=body.validated_data["dry_run"]))
