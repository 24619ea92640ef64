"""API of the REITs pipeline (二(五)12、二(六)18): list (filters), add, read, change facts, move a stage,
export as xlsx. Scoped by the project's unit: another unit's entry is a 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.projects.api import MoneyField
from tuijin.toolkit.http.api import Pagination, Text, error_responses, pk_from_path, query_data

from . import exports, selectors, services
from .models import ReitsEntry, ReitsList, ReitsStage


def _business(user: Any) -> None:
    policy.require(user, "read_business_data", message="您的角色不能查看REITs项目库")


class MoveRecordSerializer(serializers.Serializer):
    from_stage = Text()
    to_stage = Text()
    on = serializers.DateField()
    actor = Text(source="actor.username", allow_null=True, default=None)
    reason = Text()


class ReitsEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField(source="project_id")
    project_name = Text(source="project.name")
    unit = Text(source="unit.code")
    asset_type = Text()
    sponsor = Text(help_text="原始权益人")
    stage = serializers.ChoiceField(choices=ReitsStage.choices,
                                    help_text="planning 谋划 / screening 遴选 / filing 申报 / issued 发行 / operating 运营")
    stage_since = serializers.DateField()
    batch_list = serializers.ChoiceField(choices=ReitsList.choices, help_text="pilot 试点一批 / reserve 储备一批 / planning 谋划一批")
    in_national_reserve = serializers.BooleanField()
    registered_locally = serializers.BooleanField()
    pre_expenses_wan = MoneyField(read_only=True)
    planned_size_wan = MoneyField(read_only=True, allow_null=True)
    issue_date = serializers.DateField(allow_null=True)
    issue_amount_wan = MoneyField(read_only=True, allow_null=True)
    operating_since = serializers.DateField(allow_null=True)
    notes = Text()


class ReitsDetailSerializer(ReitsEntrySerializer):
    moves = MoveRecordSerializer(many=True)


class ReitsCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1)
    asset_type = Text(required=False, allow_blank=True, max_length=64)
    sponsor = Text(required=False, allow_blank=True, max_length=200)
    in_national_reserve = serializers.BooleanField(required=False)
    registered_locally = serializers.BooleanField(required=False)
    pre_expenses_wan = Text(required=False, help_text="前期经费（万元）")
    planned_size_wan = Text(required=False, allow_null=True, help_text="拟发行规模（万元）")
    notes = Text(required=False, allow_blank=True, max_length=500)


class ReitsUpdateSerializer(ReitsCreateSerializer):
    project = None  # type: ignore[assignment]


class ReitsMoveSerializer(serializers.Serializer):
    to = Text(max_length=16, help_text="目标阶段：screening 遴选 / filing 申报 / issued 发行 / operating 运营（只能逐级向前）")
    on = serializers.DateField(help_text="变更日期")
    reason = Text(required=False, allow_blank=True, max_length=500)
    issue_date = serializers.DateField(required=False, allow_null=True, help_text="发行日期（发行时必填）")
    issue_amount_wan = Text(required=False, allow_null=True, help_text="发行规模（万元，发行时必填）")
    operating_since = serializers.DateField(required=False, allow_null=True, help_text="运营起始日期（运营时必填）")


class ReitsQuerySerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ReitsStage.choices, required=False)
    list = serializers.ChoiceField(choices=ReitsList.choices, required=False)
    unit = Text(required=False, max_length=32)


def _query(request: Request) -> dict[str, str]:
    q = ReitsQuerySerializer(data=query_data(request))
    q.is_valid(raise_exception=True)
    v = q.validated_data
    return {"stage": v.get("stage", ""), "batch_list": v.get("list", ""), "unit": v.get("unit", "")}


class ReitsListView(GenericAPIView):
    access_policy = "read_business_data"
    queryset = ReitsEntry.objects.none()
    pagination_class = Pagination
    serializer_class = ReitsEntrySerializer

    @extend_schema(summary="REITs项目库", parameters=[ReitsQuerySerializer],
                   responses={200: ReitsEntrySerializer(many=True), **error_responses(400, 403, 404)}, tags=["reits"])
    def get(self, request: Request) -> Response:
        _business(request.user)
        page = self.paginate_queryset(selectors.entries_for(user=request.user, **_query(request)))
        return self.get_paginated_response(ReitsEntrySerializer(page, many=True).data)

    @extend_schema(summary="将项目纳入REITs项目库（谋划）", request=ReitsCreateSerializer,
                   responses={201: ReitsDetailSerializer, **error_responses(400, 403, 404, 409)}, tags=["reits"])
    def post(self, request: Request) -> Response:
        _business(request.user)
        body = ReitsCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        project = data.pop("project")
        entry = services.entry_create(actor=request.user, project_id=project, data=data)
        return Response(ReitsDetailSerializer(selectors.entry_get(user=request.user, entry_id=entry.pk)).data,
                        status=status.HTTP_201_CREATED)


class ReitsDetailView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="一个REITs项目及其阶段变更", responses={200: ReitsDetailSerializer, **error_responses(403, 404)},
                   tags=["reits"])
    def get(self, request: Request, pk: str) -> Response:
        _business(request.user)
        return Response(ReitsDetailSerializer(selectors.entry_get(user=request.user, entry_id=pk_from_path(pk))).data)

    @extend_schema(summary="修改REITs项目事实（储备库、注册地、前期经费……）", request=ReitsUpdateSerializer,
                   responses={200: ReitsDetailSerializer, **error_responses(400, 403, 404)}, tags=["reits"])
    def patch(self, request: Request, pk: str) -> Response:
        _business(request.user)
        body = ReitsUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        entry_id = pk_from_path(pk)
        services.entry_update(actor=request.user, entry_id=entry_id, data=dict(body.validated_data))
        return Response(ReitsDetailSerializer(selectors.entry_get(user=request.user, entry_id=entry_id)).data)


class ReitsMoveView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="REITs阶段推进（谋划→遴选→申报→发行→运营，逐级，注明日期）", request=ReitsMoveSerializer,
                   responses={200: ReitsDetailSerializer, **error_responses(400, 403, 404, 409)}, tags=["reits"])
    def post(self, request: Request, pk: str) -> Response:
        _business(request.user)
        body = ReitsMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        entry_id = pk_from_path(pk)
        services.entry_move(actor=request.user, entry_id=entry_id, to=v["to"], on=v["on"], reason=v.get("reason", ""),
                            issue_date=v.get("issue_date"), issue_amount_wan=v.get("issue_amount_wan"),
                            operating_since=v.get("operating_since"))
        return Response(ReitsDetailSerializer(selectors.entry_get(user=request.user, entry_id=entry_id)).data)


class ReitsExportView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="REITs项目库导出（xlsx）", parameters=[ReitsQuerySerializer],
                   responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                              OpenApiResponse(OpenApiTypes.BINARY), **error_responses(400, 403)}, tags=["reits"])
    def get(self, request: Request) -> HttpResponse:
        _business(request.user)
        entries = list(selectors.entries_for(user=request.user, **_query(request)))
        audit.record(action="export", object_type="reits.reitsentry", object_repr=f"REITs项目库导出（{len(entries)}个）")
        response = HttpResponse(exports.reits_workbook(entries),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = "attachment; filename*=UTF-8''reits.xlsx"
        return response
