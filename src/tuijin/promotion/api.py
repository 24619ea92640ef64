"""API of investment promotion, mounted under ``/api/v1/promotion/`` (二(四)10–11).

Deals (scoped: another unit's deal is 404): ``GET|POST deals/``, ``GET deals/{id}/``,
``POST deals/{id}/move/`` (``{"to", "moved_on", "note"}``; an illegal move is 409 with a Chinese
message), ``POST deals/{id}/convert/`` (→ the new project). Reports: ``GET weekly/?week=2022-W23``,
``GET stalled/?as_of=``, ``GET tiers/?year=`` and ``GET assessment/?year=`` (aggregates),
``GET|POST events/`` (big-event signings). Amounts in 亿元 as decimal strings.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tuijin.orgs import policy
from tuijin.plan import default_year, plan_on
from tuijin.toolkit import clock
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.http.api import (
    MAX_PK,
    WEEK_PATTERN,
    Pagination,
    Text,
    WholeBody,
    error_responses,
    pk_from_path,
    query_param,
)

from . import presentation, selectors, services
from .models import Deal, DealStage
from .reports import assessment_json, stalled_json, tiers_json, weekly_json, yi


class DealSerializer(serializers.ModelSerializer):
    unit = Text(source="unit.code", help_text="报送单位代码")
    amount_yi = serializers.SerializerMethodField(help_text="签约（意向）金额，亿元")
    tier = serializers.SerializerMethodField(help_text="分档代码（未签约或不计入任何分档时为 null）")

    class Meta:
        model = Deal
        fields = ["id", "unit", "name", "investor", "amount_yi", "leading_industry", "category", "field", "stage",
                  "tier", "negotiating_since", "signed_on", "registered_on", "started_on", "producing_on",
                  "last_move_on", "leader", "principal_leader", "task_force", "signing_event", "project", "version"]

    def get_amount_yi(self, deal: Deal) -> str:
        return yi(deal.amount_yuan)

    def get_tier(self, deal: Deal) -> str | None:
        return presentation.deal_tier(deal)


class DealInSerializer(serializers.Serializer):
    unit = Text(max_length=32, allow_blank=True)
    name = Text(max_length=200, allow_blank=True)
    investor = Text(max_length=200, allow_blank=True)
    amount_yi = Text(max_length=32, help_text="金额（亿元）")
    leading_industry = Text(required=False, allow_blank=True, max_length=32)
    category = Text(required=False, max_length=32)
    field = Text(required=False, max_length=32)
    negotiating_since = serializers.DateField(required=False)
    leader = Text(required=False, allow_blank=True, max_length=64)
    principal_leader = serializers.BooleanField(required=False)
    task_force = Text(required=False, allow_blank=True, max_length=200)
    signing_event = serializers.IntegerField(required=False, min_value=1)


_FILTERS = [OpenApiParameter(n, str, description=d) for n, d in (("unit", "报送单位代码"), ("q", "名称或投资方"))]
_FILTERS.append(query_param("stage", enum=list(DealStage.values), blank=True, description="阶段"))
_FILTERS.append(query_param("tier", enum=presentation.tier_codes(), blank=True,
                            description="分档代码（方案文件 rules.deal_tiers）"))
_FILTERS.append(query_param("event", integer=True, minimum=1, maximum=MAX_PK, description="集中签约活动 id"))


class DealListView(APIView):
    access_policy = "signed_in"
    pagination_class = Pagination

    @extend_schema(summary="招商项目列表（按权限范围）", parameters=_FILTERS,
                   responses={200: DealSerializer(many=True), **error_responses(400, 403, 404)})
    def get(self, request: Request) -> Response:
        p = request.query_params
        event = p.get("event") or None
        qs = selectors.deals(user=request.user, unit=p.get("unit"), stage=p.get("stage"), tier=p.get("tier"),
                             q=p.get("q"), event=pk_from_path(event) if event else None)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(DealSerializer(page, many=True).data)

    @extend_schema(summary="登记招商项目（在谈）", request=DealInSerializer,
                   responses={201: DealSerializer, **error_responses(400, 403)})
    def post(self, request: Request) -> Response:
        body = DealInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["amount"] = data.pop("amount_yi")
        deal = services.deal_create(actor=request.user, data=data)
        return Response(DealSerializer(deal).data, status=201)


class DealPatchSerializer(WholeBody, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="读取时的版本号；已被他人修改时返回 409")
    leader = Text(required=False, allow_blank=True, max_length=64, help_text="责任领导（领导分包）")
    principal_leader = serializers.BooleanField(required=False, help_text="主要领导亲自招商")
    task_force = Text(required=False, allow_blank=True, max_length=200, help_text="工作专班")
    signing_event = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="集中签约活动")
    name = Text(required=False, allow_blank=True, max_length=200)
    investor = Text(required=False, allow_blank=True, max_length=200)
    amount_yi = Text(required=False, max_length=32, help_text="金额（亿元），仅在谈阶段可改")
    leading_industry = Text(required=False, allow_blank=True, max_length=32)


class DealDetailView(APIView):
    access_policy = "signed_in"
    @extend_schema(summary="一个招商项目（另一单位的项目：404）",
                   responses={200: DealSerializer, **error_responses(403, 404)})
    def get(self, request: Request, pk: str) -> Response:
        return Response(DealSerializer(selectors.get_deal(user=request.user, pk=pk_from_path(pk))).data)

    @extend_schema(summary="修改招商项目的责任领导、工作专班、集中签约活动（在谈阶段还可改金额等）",
                   request=DealPatchSerializer, responses={200: DealSerializer, **error_responses(400, 403, 404, 409)})
    def patch(self, request: Request, pk: str) -> Response:
        body = DealPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version")
        if "amount_yi" in data:
            data["amount"] = data.pop("amount_yi")
        deal = services.deal_update(actor=request.user, deal_id=pk_from_path(pk), data=data, version=version)
        return Response(DealSerializer(deal).data)


class MoveInSerializer(serializers.Serializer):
    to = Text(max_length=16, help_text="推进到的阶段（只能是下一阶段）："
                                                        + "、".join(f"`{v}` {n}" for v, n in DealStage.choices))
    moved_on = serializers.DateField(required=False, help_text="推进日期（默认今天）")
    note = Text(required=False, allow_blank=True, max_length=500)
    version = serializers.IntegerField(required=False, min_value=1)


class DealMoveView(APIView):
    access_policy = "signed_in"
    @extend_schema(summary="推进招商项目到下一阶段（在谈→签约→注册→开工→投产）", request=MoveInSerializer,
                   responses={200: DealSerializer, **error_responses(400, 403, 404, 409)})
    def post(self, request: Request, pk: str) -> Response:
        body = MoveInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        deal = services.deal_move(actor=request.user, deal_id=pk_from_path(pk), to_stage=d["to"],
                                  moved_on=d.get("moved_on"), note=d.get("note", ""), version=d.get("version"))
        return Response(DealSerializer(deal).data)


class ConvertInSerializer(serializers.Serializer):
    project_code = Text(required=False, allow_blank=True, max_length=24)
    planned_start = serializers.DateField(required=False)
    planned_end = serializers.DateField(required=False)


class DealConvertView(APIView):
    access_policy = "signed_in"
    @extend_schema(summary="签约项目转入项目库（保留关联，不重复录入）", request=ConvertInSerializer,
                   responses={201: OpenApiResponse(description="新项目的 id 和名称"), **error_responses(400, 403, 404, 409)})
    def post(self, request: Request, pk: str) -> Response:
        body = ConvertInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.deal_convert(actor=request.user, deal_id=pk_from_path(pk), data=dict(body.validated_data))
        return Response({"project": project.pk, "name": project.name,
                         "total_investment": str(project.total_investment)}, status=201)


class WeeklyView(APIView):
    access_policy = "signed_in"
    @extend_schema(summary="招商引资周报告（本周推进情况，按权限范围）",
                   parameters=[query_param("week", pattern=WEEK_PATTERN, required=True, description="ISO 周次，如 2022-W23"),
                               OpenApiParameter("unit", str, description="报送单位代码")],
                   responses={200: OpenApiResponse(description="周报告"), **error_responses(400, 403, 404)})
    def get(self, request: Request) -> Response:
        week = request.query_params.get("week")
        if not week:
            raise ValidationFailed("请给出周次 week（如 2022-W23）", field="week")
        return Response(weekly_json(selectors.weekly_report(user=request.user, week=week,
                                                            unit=request.query_params.get("unit"))))


class StalledView(APIView):
    access_policy = "signed_in"
    @extend_schema(summary="月督查：超过规定天数无进展的签约项目（按权限范围）",
                   parameters=[query_param("as_of", fmt="date", description="截至日期 YYYY-MM-DD（默认今天）"),
                               OpenApiParameter("unit", str, description="报送单位代码")],
                   responses={200: OpenApiResponse(description="停滞项目"), **error_responses(400, 403, 404)})
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("as_of")
        as_of = selectors.parse_day(raw) if raw is not None else clock.today()
        rows = selectors.stalled(user=request.user, as_of=as_of, unit=request.query_params.get("unit"))
        return Response(stalled_json(rows, as_of=as_of, days=plan_on(as_of).rules.promotion.stalled_after_days))


def _year(request: Request) -> int:
    try:
        year = int(request.query_params.get("year", default_year()))
    except ValueError:
        raise ValidationFailed("年份应为4位数字", field="year") from None
    if not 2000 <= year <= 2100:
        raise ValidationFailed("年份超出范围", field="year")
    return year


class TiersView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="分档项目数和签约金额对照目标（各单位及全市）",
                   parameters=[query_param("year", integer=True, minimum=2000, maximum=2100, description="年度（2000–2100）")],
                   responses={200: OpenApiResponse(description="分档完成情况"), **error_responses(400, 403)})
    def get(self, request: Request) -> Response:
        policy.require(request.user, "read_business_data", message="您的角色不能查看招商引资数据")
        return Response(tiers_json(selectors.tier_summary(user=request.user, year=_year(request))))


class AssessmentView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="招商引资年度考核得分排名",
                   parameters=[query_param("year", integer=True, minimum=2000, maximum=2100, description="年度（2000–2100）")],
                   responses={200: OpenApiResponse(description="年度考核"), **error_responses(400, 403)})
    def get(self, request: Request) -> Response:
        policy.require(request.user, "read_business_data", message="您的角色不能查看招商引资数据")
        year = _year(request)
        return Response(assessment_json(year, selectors.annual_assessment(user=request.user, year=year)))


class EventInSerializer(serializers.Serializer):
    name = Text(max_length=200)
    held_on = serializers.DateField()
    place = Text(required=False, allow_blank=True, max_length=200)


class EventListView(APIView):
    access_policy = "signed_in"
    @extend_schema(summary="重大活动集中签约（按权限范围统计其项目）",
                   responses={200: OpenApiResponse(description="活动及其项目统计"), **error_responses(403)})
    def get(self, request: Request) -> Response:
        rows = selectors.signing_events(user=request.user)
        return Response([{"id": r["event"].pk, "name": r["event"].name, "held_on": r["event"].held_on.isoformat(),
                          "deals": r["deals"], "amount_yi": yi(r["amount_yuan"]), "landed": r["landed"],
                          "converted": r["converted"]} for r in rows])

    @extend_schema(summary="登记集中签约活动（市发展改革委管理员）", request=EventInSerializer,
                   responses={201: OpenApiResponse(description="已登记"), **error_responses(400, 403)})
    def post(self, request: Request) -> Response:
        body = EventInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = dict(body.validated_data)
        event = services.signing_event_create(actor=request.user, name=d["name"], held_on=d["held_on"],
                                              place=d.get("place", ""))
        return Response({"id": event.pk, "name": event.name}, status=201)
