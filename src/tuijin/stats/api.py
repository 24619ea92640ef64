"""API of official statistics: the list with its filters, the import, and coverage (DESIGN §4.6, §6).

A thin door onto ``stats.selectors`` and ``stats.importing`` (the same as the page and the
command line). Every business role reads (official figures are aggregates); the three
administrators get 403. Only the statistics bureau and the city administrator import.

Money (``ytd_value``) is in 万元, exact to 4 decimal places (1 元), as a decimal string; growth
in percent with 2 decimals, as a decimal string (``null`` when the bureau gave none).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from tuijin.jobs import uploads
from tuijin.jobs.api import import_response
from tuijin.orgs import policy
from tuijin.projects.api import MONEY_HELP
from tuijin.reporting.api import WanFromYuanField
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.http.api import (
    PERIOD_PATTERN,
    Coded,
    FormFlag,
    ImportIssueSerializer,
    Text,
    error_responses,
    query_data,
    query_param,
)
from tuijin.toolkit.periods import parse_period

from . import selectors, services, targets
from .importing import STATS
from .models import OfficialStat

PERIOD_HELP = "统计期间 YYYY-MM"
ORG_HELP = "单位代码：区县（市）/开发区代码（如 jinshui），全市为 city"
INDICATOR_HELP = "指标：fai 固定资产投资 / industrial 工业投资 / infrastructure 基础设施投资 / real_estate 房地产开发投资"
GROWTH_HELP = "同比增长（%），2位小数；统计局未给出时为 null"


class OfficialStatSerializer(serializers.ModelSerializer):
    """One official figure: an org, an indicator, a month; year-to-date value and YoY growth."""

    org = Text(source="org.code", help_text=ORG_HELP)
    org_name = Text(source="org.name")
    indicator = Text(help_text=INDICATOR_HELP)
    indicator_name = serializers.SerializerMethodField(help_text="指标名称")
    period = Text(source="period_code", help_text=PERIOD_HELP)
    ytd_value = WanFromYuanField(source="ytd_value_yuan", allow_null=True, help_text=f"本年累计，{MONEY_HELP}")
    yoy_growth = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True, help_text=GROWTH_HELP)
    import_batch = serializers.UUIDField(allow_null=True, help_text="写入该数据的导入批次号")

    class Meta:
        model = OfficialStat
        fields = ["id", "org", "org_name", "indicator", "indicator_name", "period", "year", "month", "ytd_value",
                  "yoy_growth", "import_batch", "updated_at"]
        read_only_fields = fields

    def get_indicator_name(self, stat: OfficialStat) -> str:
        names = self.context.get("indicator_names")
        if names is None:
            names = self.context["indicator_names"] = targets.indicator_names()
        return names.get(stat.indicator, stat.indicator)


class StatFilterSerializer(serializers.Serializer):
    period = Coded(PERIOD_PATTERN, required=False, allow_blank=True, max_length=16, help_text=PERIOD_HELP)
    year = serializers.IntegerField(required=False, min_value=services.FIRST_YEAR, max_value=services.LAST_YEAR,
                                    help_text="年份")
    org = Text(required=False, allow_blank=True, max_length=32, help_text=ORG_HELP)
    indicator = Coded(enum=["fai", "industrial", "infrastructure", "real_estate"], required=False,
                      allow_blank=True, max_length=32, help_text=INDICATOR_HELP)


class StatImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx 文件，列：单位代码、指标、本年累计（万元）、同比增长（%）[、期间]")
    period = Coded(PERIOD_PATTERN, max_length=16, help_text=f"{PERIOD_HELP}；文件中有“期间”列的行以该列为准")
    dry_run = FormFlag(required=False, default=False, help_text="只校验、不写入")


class StatImportSummarySerializer(serializers.Serializer):
    rows = serializers.IntegerField(required=False, help_text="数据行数")
    created = serializers.IntegerField(required=False, help_text="新增（或试导入时将新增）的行数")
    updated = serializers.IntegerField(required=False, help_text="更新的行数")
    unchanged = serializers.IntegerField(required=False, help_text="无变化的行数")
    batch = Text(allow_null=True, required=False, help_text="导入批次号（无变化时为空）")
    period = Text(required=False, help_text="默认统计期间")
    periods = serializers.ListField(child=Text(), required=False, help_text="文件涉及的统计期间")
    dry_run = serializers.BooleanField(required=False)
    error_count = serializers.IntegerField(required=False)
    warning_count = serializers.IntegerField(required=False)


class StatChangeSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Excel 行号")
    org = Text()
    org_name = Text()
    indicator = Text()
    indicator_name = Text()
    period = Text()
    action = serializers.ChoiceField(choices=["create", "update"])
    before = serializers.DictField(allow_null=True, child=Text(allow_null=True))
    after = serializers.DictField(child=Text(allow_null=True))


class StatImportResultSerializer(serializers.Serializer):
    """The same JSON as ``tuijin import-stats --json``."""

    ok = serializers.BooleanField(help_text="没有错误（有错误时不写入任何数据）")
    errors = ImportIssueSerializer(many=True, help_text="全部错误（工作表、行、列、原因）")
    warnings = ImportIssueSerializer(many=True, help_text="提示（不阻止导入）")
    summary = StatImportSummarySerializer()
    changes = StatChangeSerializer(many=True, required=False, help_text="变化的行（前500行）")


class CoverageSerializer(serializers.Serializer):
    """A unit's (or the city's) official ytd FAI beside its approved project reports' ytd."""

    org = Text(help_text=ORG_HELP)
    name = Text()
    official_ytd = WanFromYuanField(source="official_ytd_yuan", allow_null=True,
                                    help_text=f"官方统计本年累计固定资产投资，{MONEY_HELP}")
    project_ytd = WanFromYuanField(source="project_ytd_yuan", allow_null=True,
                                   help_text=f"已审核项目月报本年累计完成投资之和，{MONEY_HELP}")
    projects_reported = serializers.IntegerField(help_text="已审核月报的项目数")
    coverage = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True,
                                        help_text="项目口径占官方统计的百分比")


_PERIOD_QUERY = query_param("period", pattern=PERIOD_PATTERN, required=True, description=PERIOD_HELP)


@extend_schema_view(
    list=extend_schema(summary="官方统计数据列表（各单位及全市、各指标的本年累计和同比增长）",
                       parameters=[StatFilterSerializer],
                       responses={200: OfficialStatSerializer(many=True), **error_responses(400, 403, 404)}),
)
class OfficialStatViewSet(viewsets.GenericViewSet):
    """The statistics bureau's monthly figures per unit and for the city (``stats.selectors``)."""
    access_policy = "read_statistics"

    serializer_class = OfficialStatSerializer
    queryset = OfficialStat.objects.none()
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[OfficialStat]:
        params = StatFilterSerializer(data=query_data(self.request))
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return selectors.stats_list(user=self.request.user, period=data.get("period") or None,
                                    year=data.get("year"), org=data.get("org") or None,
                                    indicator=data.get("indicator") or None)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        context = {"indicator_names": targets.indicator_names()}
        return self.get_paginated_response(OfficialStatSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="导入官方统计数据 Excel（与命令行 import-stats --json 的结果相同）",
        request={"multipart/form-data": StatImportRequestSerializer},
        responses={200: OpenApiResponse(StatImportResultSerializer, description="校验结果；ok 为 false 时未写入任何数据"),
                   **error_responses(400, 403, 415)},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request) -> Response:
        admission = uploads.admit(STATS, actor=request.user, door=uploads.API)
        body = StatImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return import_response(admission.receive(body.validated_data["file"], dry_run=body.validated_data["dry_run"],
                                                 period=body.validated_data["period"]))

    @extend_schema(
        summary="项目口径与官方统计对照（覆盖率）：各单位本年累计固定资产投资",
        parameters=[_PERIOD_QUERY],
        responses={200: CoverageSerializer(many=True), **error_responses(400, 403)},
    )
    @action(detail=False, methods=["get"], url_path="coverage", pagination_class=None)
    def coverage(self, request: Request) -> Response:
        policy.require(request.user, "read_statistics")
        year, month = _period_param(request.query_params.get("period"))
        rows = selectors.coverage_rows(user=request.user, year=year, month=month)
        return Response(CoverageSerializer([r.as_dict() for r in rows], many=True).data)


def _period_param(value: Any) -> tuple[int, int]:
    if not value:
        raise ValidationFailed("请给出统计期间 period（YYYY-MM）", field="period")
    return parse_period(value, what="统计期间", lenient=True)
