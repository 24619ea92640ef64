"""API of monitoring and assessment: rankings, escalations, quarterly evaluations, forecast.

A thin door onto ``assessment.selectors`` and ``assessment.services`` (the same as the pages and
the CLI). Ranks, growth figures, scores and awards are aggregates every business user may read,
reporting units included (DESIGN §4.2); the three administrators get 403. A malformed
``period`` (``YYYY-MM``) or ``quarter`` (``YYYYQn``) is a 400 with a Chinese message.

Growth, scores and gaps are percentages or points as JSON numbers (2 decimals); money (万元)
is a decimal string, as everywhere in the API.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tuijin.orgs import policy
from tuijin.plan import latest_plan
from tuijin.projects.api import MoneyField
from tuijin.toolkit.errors import NotFound
from tuijin.toolkit.http.api import PERIOD_PATTERN, QUARTER_PATTERN, Coded, Text, error_responses, query_data

from . import plan_terms, presentation, selectors, services
from .models import EscalationLevel, EscalationStatus
from .selectors import EVALUATION_DEFINITIONS

PERIOD_HELP = "统计期 YYYY-MM（如 2022-06）；省略时为最近一个有官方统计数据的月份"
QUARTER_HELP = "季度 YYYYQn（如 2022Q1）"
PERCENT_HELP = "百分比，保留2位小数"


def percent(**kwargs: Any) -> serializers.DecimalField:
    kwargs.setdefault("help_text", PERCENT_HELP)
    return serializers.DecimalField(max_digits=9, decimal_places=2, coerce_to_string=False, allow_null=True,
                                    read_only=True, **kwargs)


def wan(**kwargs: Any) -> MoneyField:
    return MoneyField(read_only=True, allow_null=True, max_digits=20, **kwargs)


# ---------------------------------------------------------------------------
# Query parameters

class PeriodQuerySerializer(serializers.Serializer):
    period = Coded(PERIOD_PATTERN, required=False, allow_blank=True, max_length=20, help_text=PERIOD_HELP)


class RankingQuerySerializer(PeriodQuerySerializer):
    indicator = Coded(enum=[indicator.code for indicator in latest_plan().indicators],  # import time: no clock
                      required=False, allow_blank=True, max_length=32,
                                      help_text="指标：fai 固定资产投资（默认）、industrial 工业投资、"
                                                "infrastructure 基础设施投资、real_estate 房地产开发投资")


class QuarterQuerySerializer(serializers.Serializer):
    quarter = Coded(QUARTER_PATTERN, required=False, allow_blank=True, max_length=20,
                    help_text=f"{QUARTER_HELP}；省略时为最近一次评价的季度")


class EvaluationRunSerializer(serializers.Serializer):
    quarter = Coded(QUARTER_PATTERN, max_length=20, help_text=QUARTER_HELP)


def _period(request: Request, indicator: str = selectors.FAI) -> tuple[int, int] | None:
    params = PeriodQuerySerializer(data=query_data(request))
    params.is_valid(raise_exception=True)
    code = params.validated_data.get("period")
    if code:
        return selectors.parse_period(code)
    return selectors.latest_stat_period(user=request.user, indicator=indicator)


# ---------------------------------------------------------------------------
# Responses

class GrowthRankingRowSerializer(serializers.Serializer):
    org = Text(help_text="报送单位代码")
    name = Text(help_text="单位名称")
    group = Text(help_text="排名分组（方案文件 rules.ranking.groups）")
    value = percent(help_text="本年累计同比增长（%）；无数据时为 null")
    rank = serializers.IntegerField(help_text="竞争排名：数值相同名次并列，其后名次顺延（1, 2, 2, 4）")
    ytd_wan = wan(help_text="本年累计（万元）")
    last_place = serializers.BooleanField(help_text="是否处于本组末位（并列末位均为末位）")


class GrowthRankingSerializer(serializers.Serializer):
    period = Text(allow_null=True, help_text="统计期；尚无任何官方统计数据时为 null")
    indicator = Text()
    indicator_name = Text()
    results = GrowthRankingRowSerializer(many=True)


class EscalationRowSerializer(serializers.Serializer):
    org = Text(help_text="报送单位代码")
    name = Text()
    streak = serializers.IntegerField(help_text="连续处于末位的月数")
    level = serializers.ChoiceField(choices=EscalationLevel.choices,
                                    help_text="`notice` 通报批评 / `deputy_talk` 分管市领导约谈 / `mayor_talk` 市主要领导约谈")
    label = Text(help_text="约谈级别的中文名称")
    value = percent(help_text="本月累计同比增长（%）")
    status = serializers.ChoiceField(choices=EscalationStatus.choices, allow_null=True,
                                     help_text="督查室跟进状态：`open` 待跟进 / `following` 跟进中 / `closed` 已办结；"
                                               "尚未生成约谈记录时为 null")


class EscalationListSerializer(serializers.Serializer):
    period = Text(allow_null=True)
    results = EscalationRowSerializer(many=True)


class EvaluationIndicatorPartSerializer(serializers.Serializer):
    label = Text()
    weight = Text(help_text="权重（分）")
    value = Text(allow_null=True, help_text="实际值（%）；无数据时为 null")
    target = Text(allow_null=True, help_text="比较基准（%）")
    ratio = Text(help_text="完成率（封顶后，小数）")
    points = Text(help_text="得分")
    explanation = Text(help_text="该项得分的中文说明")
    basis = Text(required=False, help_text="计算依据（项目数、金额等）")


class QuarterlyEvaluationResultSerializer(serializers.Serializer):
    org = Text(help_text="报送单位代码")
    name = Text()
    score = percent(help_text="综合得分")
    rank = serializers.IntegerField(help_text="名次（得分相同名次并列）")
    award_wan = wan(help_text="奖励资金（万元）")
    indicators = serializers.DictField(child=EvaluationIndicatorPartSerializer(),
                                       help_text="各评价指标："
                                                 + "；".join(f"`{k}` {v}" for k, v in EVALUATION_DEFINITIONS.items()))
    explanation = Text(help_text="得分说明")


class QuarterlyEvaluationSerializer(serializers.Serializer):
    quarter = Text(source="code", help_text=QUARTER_HELP)
    plan_hash = Text(help_text="计算所依据的方案文件的 sha256")
    computed_at = serializers.DateTimeField()
    computed_by = Text(source="computed_by.username", allow_null=True, default=None)
    results = serializers.SerializerMethodField()

    @extend_schema_field(QuarterlyEvaluationResultSerializer(many=True))
    def get_results(self, evaluation: Any) -> list[dict[str, Any]]:
        return QuarterlyEvaluationResultSerializer(presentation.evaluation_rows(evaluation), many=True).data


class GrowthForecastRowSerializer(serializers.Serializer):
    org = Text(help_text="报送单位代码")
    name = Text()
    ytd_wan = wan(help_text="本年累计（万元）")
    growth = percent(help_text="本年累计同比增长（%）")
    last_year_total_wan = wan(help_text="上年全年累计（万元）")
    projected_total_wan = wan(help_text="预计全年完成（万元）")
    projected_growth = percent(help_text="预计全年增长（%）")
    target = percent(help_text="本单位年度增长目标（%）")
    gap_points = percent(help_text="预计增长与目标之差（百分点），负数为差距")
    needed_per_month_wan = wan(help_text="完成目标后续每月平均需完成（万元）；12月为 null")
    likely_miss = serializers.BooleanField(help_text="预计完不成目标")
    shares_source = Text(allow_null=True,
                                          help_text="月度占比来源：unit 本单位往年 / city 全市往年 / time_progress 序时进度")


class ForecastBacktestMonthSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    mean_abs_error_points = percent(help_text="平均绝对误差（百分点）")


class ForecastBacktestUnitSerializer(serializers.Serializer):
    org = Text()
    name = Text()
    actual_growth = percent(help_text="当年实际全年增长（%）")
    mean_abs_error_points = percent(help_text="平均绝对误差（百分点）")
    method = Text(help_text="unit_years 留出该年、以本单位其他年度为占比 / other_units 以其他单位当年为占比")


class ForecastBacktestSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="回测年度（上一年）")
    units_tested = serializers.IntegerField()
    mean_abs_error_points = percent(help_text="逐月预测全年增长的平均绝对误差（百分点）")
    by_month = ForecastBacktestMonthSerializer(many=True)
    units = ForecastBacktestUnitSerializer(many=True)


class GrowthForecastSerializer(serializers.Serializer):
    period = Text(allow_null=True)
    results = GrowthForecastRowSerializer(many=True, help_text="可能完不成目标的单位在前，差距大的在前")
    backtest = ForecastBacktestSerializer(allow_null=True, help_text="上一年的回测；无完整年度数据时为 null")


# ---------------------------------------------------------------------------
# Views

class _AssessmentView(APIView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        policy.require(request.user, "read_business_data", message="您的角色不查看排名、考核和预测")


class RankingView(_AssessmentView):
    access_policy = "read_business_data"
    @extend_schema(summary="各单位累计增速排名（统计部门官方数据）", parameters=[RankingQuerySerializer],
                   responses={200: GrowthRankingSerializer, **error_responses(400, 403)}, tags=["assessment"])
    def get(self, request: Request) -> Response:
        params = RankingQuerySerializer(data=query_data(request))
        params.is_valid(raise_exception=True)
        indicator = plan_terms.check_indicator(params.validated_data.get("indicator") or selectors.FAI)
        period = _period(request, indicator)
        rows = selectors.unit_growth_ranking(user=request.user, year=period[0], month=period[1], indicator=indicator) if period else []
        body = {"period": selectors.period_code(*period) if period else None, "indicator": indicator,
                "indicator_name": dict(plan_terms.indicator_choices())[indicator], "results": rows}
        return Response(GrowthRankingSerializer(body).data)


class EscalationView(_AssessmentView):
    access_policy = "read_business_data"
    @extend_schema(summary="末位增速约谈：本月处于末位的单位、连续月数和约谈级别", parameters=[PeriodQuerySerializer],
                   responses={200: EscalationListSerializer, **error_responses(400, 403)}, tags=["assessment"])
    def get(self, request: Request) -> Response:
        period = _period(request)
        rows: list[dict[str, Any]] = []
        if period:
            rows = selectors.escalation_list(user=request.user, year=period[0], month=period[1])
            recorded = {e.org.code: e.status for e in selectors.escalation_records(user=request.user, year=period[0], month=period[1])}
            for row in rows:
                row["status"] = recorded.get(row["org"])
        body = {"period": selectors.period_code(*period) if period else None, "results": rows}
        return Response(EscalationListSerializer(body).data)


_RUN_EXAMPLE = OpenApiExample("评价2022年第一季度", request_only=True, value={"quarter": "2022Q1"})


class EvaluationView(_AssessmentView):
    access_policy = "read_business_data"
    @extend_schema(summary="季度综合评价结果（最近一次计算）", parameters=[QuarterQuerySerializer],
                   responses={200: QuarterlyEvaluationSerializer, **error_responses(400, 403, 404)}, tags=["assessment"])
    def get(self, request: Request) -> Response:
        params = QuarterQuerySerializer(data=query_data(request))
        params.is_valid(raise_exception=True)
        code = params.validated_data.get("quarter")
        if not code:
            stored = selectors.evaluation_quarters(user=request.user, limit=1)
            code = stored[0] if stored else None
        found = None
        if code:
            year, quarter = selectors.parse_quarter(code)
            found = selectors.latest_evaluation(user=request.user, year=year, quarter=quarter)
        if found is None:
            raise NotFound("该季度尚未进行综合评价")
        return Response(QuarterlyEvaluationSerializer(found).data)

    @extend_schema(summary="进行季度综合评价并保存（市发展改革委）", request=EvaluationRunSerializer,
                   examples=[_RUN_EXAMPLE],
                   responses={201: QuarterlyEvaluationSerializer, **error_responses(400, 403)}, tags=["assessment"])
    def post(self, request: Request) -> Response:
        body = EvaluationRunSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        year, quarter = selectors.parse_quarter(body.validated_data["quarter"])
        evaluation = services.evaluation_run(actor=request.user, year=year, quarter=quarter)
        return Response(QuarterlyEvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


class ForecastView(_AssessmentView):
    access_policy = "read_business_data"
    @extend_schema(summary="预测预警：各单位全年增速预测、差距和后续每月需完成投资", parameters=[PeriodQuerySerializer],
                   responses={200: GrowthForecastSerializer, **error_responses(400, 403)}, tags=["assessment"])
    def get(self, request: Request) -> Response:
        period = _period(request)
        rows = selectors.forecast_rows(user=request.user, year=period[0], month=period[1]) if period else []
        backtest = selectors.forecast_backtest(user=request.user, year=period[0] - 1) if period else None
        body = {"period": selectors.period_code(*period) if period else None, "results": rows, "backtest": backtest}
        return Response(GrowthForecastSerializer(body).data)
