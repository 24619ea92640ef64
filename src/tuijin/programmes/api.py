"""API of the programmes (``/api/v1/programmes/…``, ``/api/v1/oc4ids/``): thin doors onto the selectors.

Every figure set returns exactly the dict its page renders (``programmes.selectors``), scoped to
the user: a reporting unit sees its own unit's rows; the three administrators get 403.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tuijin.jobs import uploads
from tuijin.jobs.api import import_response
from tuijin.orgs import policy
from tuijin.plan import latest_plan
from tuijin.toolkit.errors import NotFound, PermissionRefused, ValidationFailed
from tuijin.toolkit.http.api import (
    MAX_PK,
    PERIOD_PATTERN,
    WAN_PATTERN,
    Coded,
    FormFlag,
    ImportIssueSerializer,
    Pagination,
    Text,
    error_responses,
    query_param,
)
from tuijin.toolkit.money import yuan_to_wan

from . import selectors
from .importing import INCLUSION
from .oc4ids import oc4ids_projects, project_package

PERIOD = query_param("period", pattern=PERIOD_PATTERN, blank=True, description="月份 YYYY-MM（默认：最近已审核的报送期）")
BY = query_param("by", enum=["unit", "field", "department", "category", "source"], blank=True, description="分组：unit 单位 / field 领域 / department 部门 / "
                      "category 重建类别 / source 资金来源（各计划支持的分组不同）")
UNIT = OpenApiParameter("unit", OpenApiTypes.STR, description="报送单位代码（如 jinshui）")


class FigureColumnSerializer(serializers.Serializer):
    key = Text()
    label = Text(help_text="列名（中文）")
    kind = Text(help_text="count 个数 / money 万元 / rate 百分比 / area 亩 / flag 是否")
    drill = serializers.BooleanField(help_text="可下钻到背后的项目")


class FigureTargetSerializer(serializers.Serializer):
    key = Text(help_text="方案目标名")
    label = Text()
    target = serializers.FloatField()
    actual = serializers.FloatField(allow_null=True)
    unit = Text(help_text="percent / count / yi（亿元）/ wan（万元）")
    source = Text(help_text="方案条款")
    rate = serializers.FloatField(allow_null=True, help_text="完成目标的百分比")


class FiguresSerializer(serializers.Serializer):
    """A programme's figure set: the same dict the page renders."""

    programme = Text()
    title = Text()
    period = Text(required=False)
    as_of = Text(help_text="统计截至日期")
    time_progress = serializers.FloatField(required=False, help_text="序时进度（%）")
    by = Text()
    columns = FigureColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField(), help_text="每组一行：code、name 及各列的值")
    total = serializers.DictField(help_text="合计（本人范围内）")
    targets = FigureTargetSerializer(many=True)


class DrillProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project_code = Text(allow_null=True)
    name = Text()
    unit = Text(source="unit.code")
    stage = Text()
    total_investment = serializers.DecimalField(max_digits=20, decimal_places=4, help_text="总投资（万元）")
    actual_start = serializers.DateField(allow_null=True)
    in_statistics = serializers.BooleanField()


class DrillPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DrillProjectSerializer(many=True)


class OverdueApprovalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project_id = serializers.IntegerField()
    project = Text(source="project.name")
    unit = Text(source="project.unit.code")
    item = Text(source="name")
    department = Text(source="department.code", allow_null=True, default=None)
    due_date = serializers.DateField()
    status = Text()


class OverduePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OverdueApprovalSerializer(many=True)


class InclusionImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx 文件，列：项目代码［、入库日期］")
    dry_run = FormFlag(required=False, default=False, help_text="只校验、不写入")


class InclusionImportResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    errors = ImportIssueSerializer(many=True)
    warnings = ImportIssueSerializer(many=True)
    summary = serializers.DictField()


def _param(request: Request, name: str, max_length: int = 32) -> str:
    value = (request.query_params.get(name) or "").strip()
    if len(value) > max_length:
        raise ValidationFailed(f"参数 {name} 过长", field=name)
    return value


class FiguresView(APIView):
    """``GET /api/v1/programmes/<programme>/``: one programme's figure set."""
    access_policy = "read_business_data"

    @extend_schema(summary="项目推进计划的指标（按单位/领域/部门等分组，含合计和方案目标）",
                   parameters=[PERIOD, BY],
                   responses={200: FiguresSerializer, **error_responses(400, 403, 404)})
    def get(self, request: Request, programme: str) -> Response:
        policy.require(request.user, "read_business_data", message="您的角色不查看项目推进计划的数据")
        func = selectors.FIGURES.get(programme)
        if func is None:
            raise NotFound("没有该项目推进计划")
        kwargs: dict[str, Any] = {"user": request.user, "period": _param(request, "period") or None}
        if _param(request, "by"):
            kwargs["by"] = _param(request, "by")
        return Response(func(**kwargs))


class BatchFiguresView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="“三个一批”：某期各单位的履约率、开工率、投产率、达效率，及各期合计",
                   parameters=[query_param("batch", integer=True, minimum=1, maximum=MAX_PK, description="期次（默认最近一期）")],
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT), **error_responses(400, 403, 404)})
    def get(self, request: Request) -> Response:
        policy.require(request.user, "read_business_data", message="您的角色不查看项目推进计划的数据")
        return Response(selectors.batch_figures(user=request.user, batch=_param(request, "batch") or None))


class DrillView(APIView):
    access_policy = "read_business_data"
    pagination_class = Pagination

    @extend_schema(summary="下钻：某项指标背后的项目",
                   parameters=[PERIOD, UNIT,
                               OpenApiParameter("measure", OpenApiTypes.STR, description="指标（列的 key）"),
                               OpenApiParameter("field", OpenApiTypes.STR), OpenApiParameter("department", OpenApiTypes.STR),
                               OpenApiParameter("category", OpenApiTypes.STR), OpenApiParameter("batch", OpenApiTypes.STR)],
                   responses={200: DrillPageSerializer, **error_responses(400, 403, 404)})
    def get(self, request: Request, programme: str) -> Response:
        policy.require(request.user, "read_business_data", message="您的角色不查看项目推进计划的数据")
        qs = selectors.programme_projects(
            user=request.user, programme=programme, measure=_param(request, "measure"),
            period=_param(request, "period") or None, unit=_param(request, "unit"), field=_param(request, "field"),
            department=_param(request, "department"), category=_param(request, "category"),
            batch=_param(request, "batch") or None)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(DrillProjectSerializer(page, many=True).data)


class OverdueApprovalsView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="逾期未办结的联审联批事项（周例会清单）",
                   parameters=[PERIOD, UNIT, OpenApiParameter("department", OpenApiTypes.STR)],
                   responses={200: OverduePageSerializer, **error_responses(400, 403, 404)})
    def get(self, request: Request) -> Response:
        policy.require(request.user, "read_business_data", message="您的角色不查看项目推进计划的数据")
        a = selectors.resolve_period(user=request.user, period=_param(request, "period") or None)
        items = selectors.overdue_approvals(user=request.user, as_of=a.end, unit=_param(request, "unit") or None,
                                            department=_param(request, "department") or None)
        paginator = Pagination()
        page = paginator.paginate_queryset(items, request, view=self)
        return paginator.get_paginated_response(OverdueApprovalSerializer(page, many=True).data)


class MissingView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="应入未入项目（已开工、达到入库标准而未入库纳统；年度投资计划暂缓下达）",
                   responses={200: DrillPageSerializer, **error_responses(403)})
    def get(self, request: Request) -> Response:
        policy.require(request.user, "read_business_data", message="您的角色不查看项目推进计划的数据")
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.missing_projects(user=request.user), request, view=self)
        return paginator.get_paginated_response(DrillProjectSerializer(page, many=True).data)


class FinancingNeedsView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="重点项目融资需求清单（政银企对接）",
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT), **error_responses(403)})
    def get(self, request: Request) -> Response:
        policy.require(request.user, "read_business_data", message="您的角色不查看项目推进计划的数据")
        return Response({"results": selectors.financing_needs(user=request.user)})


class InclusionImportView(APIView):
    access_policy = "signed_in"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(summary="导入统计局入库纳统名单（Excel：项目代码、入库日期）",
                   request={"multipart/form-data": InclusionImportRequestSerializer},
                   responses={200: InclusionImportResultSerializer, **error_responses(400, 403, 415)})
    def post(self, request: Request) -> Response:
        admission = uploads.admit(INCLUSION, actor=request.user, door=uploads.API)
        body = InclusionImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return import_response(admission.receive(body.validated_data["file"], dry_run=body.validated_data["dry_run"]))


class FundingWriteSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_PK, help_text="项目 id")
    source = Coded(enum=list(latest_plan().rules.fund_sources.codes()),  # the schema's list (no clock at import)
                   max_length=32, help_text="资金来源代码（方案 rules.fund_sources）")
    planned = Coded(WAN_PATTERN, max_length=32, help_text="计划资金（万元）")
    in_place = Coded(WAN_PATTERN, max_length=32, help_text="到位资金（万元）")


class FundingResultSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    source = Text()
    planned = Text(help_text="万元")
    in_place = Text(help_text="万元")


class FundingWriteView(APIView):
    access_policy = "signed_in"
    @extend_schema(summary="登记项目的一项资金来源（计划与到位，万元）", request=FundingWriteSerializer,
                   responses={200: FundingResultSerializer, **error_responses(400, 403, 404)})
    def post(self, request: Request) -> Response:
        from . import services

        body = FundingWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        row = services.funding_set(actor=request.user, project_id=d["project"], source=d["source"],
                                   planned=d["planned"], in_place=d["in_place"])
        return Response({"project": row.project_id, "source": row.source, "planned": str(yuan_to_wan(row.planned_yuan)),
                         "in_place": str(yuan_to_wan(row.in_place_yuan))})


class BatchCreateSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=selectors.MAX_BATCH_NUMBER, help_text="期次")
    held_on = serializers.DateField(help_text="举办日期")
    name = Text(max_length=100, required=False, allow_blank=True, default="")


class BatchEntriesSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["signed", "started", "producing"], help_text="签约 / 开工 / 投产清单")
    project_ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_PK),
                                        min_length=1, max_length=500)
    company_registered = serializers.BooleanField(required=False, default=False,
                                                  help_text="签约项目：已注册公司")


class BatchCreateView(APIView):
    access_policy = "signed_in"
    @extend_schema(summary="新建一期“三个一批”活动（市发展改革委）", request=BatchCreateSerializer,
                   responses={201: BatchCreateSerializer, **error_responses(400, 403)})
    def post(self, request: Request) -> Response:
        from . import services

        body = BatchCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        batch = services.batch_create(actor=request.user, **body.validated_data)
        return Response({"number": batch.number, "held_on": batch.held_on, "name": batch.name}, status=201)


class BatchEntriesView(APIView):
    access_policy = "manage_city_data"
    @extend_schema(summary="把项目列入某期的签约、开工或投产清单（投产清单只能取上一期开工清单中的项目）",
                   request=BatchEntriesSerializer,
                   responses={201: OpenApiResponse(OpenApiTypes.OBJECT), **error_responses(400, 403, 404)})
    def post(self, request: Request, number: str) -> Response:
        from . import services

        if not policy.can(request.user, "manage_city_data"):
            raise PermissionRefused("只有市发展改革委管理员可以维护“三个一批”活动")
        batch = selectors.batch_get(user=request.user, number=number)
        body = BatchEntriesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = services.batch_add_entries(actor=request.user, batch=batch, **body.validated_data)
        return Response({"batch": batch.number, "kind": body.validated_data["kind"], "added": len(made)}, status=201)


class Oc4idsView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="OC4IDS 0.9.5 项目数据包（仅公开字段，按权限范围）", parameters=[UNIT],
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="OC4IDS project package"),
                              **error_responses(400, 403, 404)})
    def get(self, request: Request) -> Response:
        policy.require(request.user, "read_business_data", message="您的角色不查看项目推进计划的数据")
        unit = _param(request, "unit")
        projects = oc4ids_projects(user=request.user, unit=unit or None)
        if not projects.exists():
            raise NotFound("没有可导出的项目，或该单位不在您的查看范围内")
        return Response(project_package(user=request.user, unit=unit or None, projects=projects))
