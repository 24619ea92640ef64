"""API of the special-bond module, mounted under ``/api/v1/bonds/`` (二(二)8).

``GET evaluation/?year=&month=`` (ranks and scores: aggregates every business user reads),
``GET quotas/`` and ``GET quotas/{id}/`` (scoped: another unit's quota is 404), ``POST issuances/``,
``GET|POST applications/``, ``POST applications/{id}/review/``, ``GET|POST violations/``,
``POST ledger/import/`` (multipart, same JSON as ``tuijin import-bond-ledger --json``).
Money in 万元 as decimal strings.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tuijin.jobs import uploads
from tuijin.jobs.api import import_response
from tuijin.orgs import policy
from tuijin.toolkit.errors import NotFound, ValidationFailed
from tuijin.toolkit.http.api import (
    FormFlag,
    Pagination,
    PositiveDecimal,
    Text,
    error_responses,
    pk_from_path,
    query_param,
)
from tuijin.toolkit.money import yuan_to_wan

from . import plan_terms, selectors, services
from .importing import LEDGER
from .models import ApplicationStatus, BondQuota, ComplianceViolation, SupplementaryApplication


@extend_schema_field(OpenApiTypes.STR)
class Wan(serializers.Field):
    """An amount in yuan shown as 万元 (decimal string)."""

    def to_representation(self, value: int) -> str:
        return str(yuan_to_wan(value))


class ScoreSerializer(serializers.Serializer):
    issuance_scale = Text()
    submission_quality = Text()
    spending_progress = Text()
    compliance = Text()


class EvaluationRowSerializer(serializers.Serializer):
    org = Text(help_text="报送单位代码")
    name = Text()
    rank = serializers.IntegerField(help_text="竞争排名（1, 2, 2, 4）")
    quota = Text(help_text="年度额度（万元）")
    issued = Text(help_text="已发行（万元）")
    spent = Text(help_text="已支出（万元）")
    reviewed = serializers.IntegerField(help_text="补充申报已审核数")
    passed = serializers.IntegerField(help_text="补充申报审核通过数")
    violations = serializers.IntegerField(help_text="违规起数")
    scores = ScoreSerializer(help_text="四项得分（满分100）")
    total = Text(help_text="加权综合得分")
    talk = serializers.BooleanField(help_text="低于约谈分数线，列入约谈名单")


class EvaluationSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    time_progress = Text(help_text="序时进度（%）")
    plan_hash = Text()
    clause = Text()
    results = EvaluationRowSerializer(many=True)


def evaluation_json(result: selectors.Evaluation) -> dict[str, Any]:
    return {
        "year": result.year, "month": result.month, "time_progress": str(result.time_progress),
        "plan_hash": result.plan_hash, "clause": result.clause,
        "results": [{
            "org": r.org.code, "name": r.org.display_name, "rank": r.score.rank,
            "quota": str(yuan_to_wan(r.quota_yuan)), "issued": str(yuan_to_wan(r.facts.issued_yuan)),
            "spent": str(yuan_to_wan(r.facts.spent_yuan)), "reviewed": r.facts.reviewed, "passed": r.facts.passed,
            "violations": r.facts.violations, "scores": {k: str(v) for k, v in r.score.scores.items()},
            "total": str(r.score.total), "talk": r.score.talk,
        } for r in result.rows],
    }


_YEAR = query_param("year", integer=True, minimum=2000, maximum=2100, description="年度（2000–2100），默认为业务日期所在年度")
_MONTH = query_param("month", integer=True, minimum=1, maximum=12, description="截至月份1–12")


class EvaluationView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="专项债券工作评价排名（二(二)8）", parameters=[_YEAR, _MONTH],
                   responses={200: EvaluationSerializer, **error_responses(400, 403)})
    def get(self, request: Request) -> Response:
        month = request.query_params.get("month")
        if month == "":
            raise ValidationFailed("月份应为1–12，实际为空", field="month")
        year, month = selectors.check_year_month(user=request.user, year=request.query_params.get("year", plan_terms.plan_year()), month=month)
        return Response(evaluation_json(selectors.evaluation(user=request.user, year=year, month=month)))


class QuotaSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="quota.pk")
    batch = Text(source="quota.batch.name")
    year = serializers.IntegerField(source="quota.batch.year")
    unit = Text(source="quota.unit.code")
    project = serializers.IntegerField(source="quota.project_id")
    project_code = Text(source="quota.project.project_code", allow_null=True)
    project_name = Text(source="quota.project.name")
    amount = Wan(source="quota.amount_yuan", help_text="额度（万元）")
    issued = Wan(source="issued_yuan", help_text="已发行（万元）")
    spent = Wan(source="spent_yuan", help_text="已支出（万元）")


class QuotaListView(APIView):
    access_policy = "read_business_data"
    pagination_class = Pagination

    @extend_schema(summary="专项债券项目额度、发行和支出（按权限范围）",
                   parameters=[_YEAR, OpenApiParameter("unit", str, description="报送单位代码")],
                   responses={200: QuotaSerializer(many=True), **error_responses(400, 403, 404)})
    def get(self, request: Request) -> Response:
        year, _m = selectors.check_year_month(user=request.user, year=request.query_params.get("year", plan_terms.plan_year()), month=12)
        unit = request.query_params.get("unit") or None
        if unit and not policy.can(request.user, "view_unit", unit):
            raise NotFound("单位不存在或不在您的查看范围内")
        rows = selectors.quota_rows(user=request.user, year=year, unit=unit)
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(QuotaSerializer(page, many=True).data)


class QuotaInSerializer(serializers.Serializer):
    batch = serializers.IntegerField(min_value=1)
    project = serializers.IntegerField(min_value=1)
    amount = PositiveDecimal(max_digits=18, decimal_places=4, help_text="额度（万元）")


class QuotaCreateView(APIView):
    access_policy = "manage_city_data"
    @extend_schema(summary="登记项目的专项债券额度（市发展改革委管理员）", request=QuotaInSerializer,
                   responses={201: QuotaSerializer, **error_responses(400, 403, 404, 409)})
    def post(self, request: Request) -> Response:
        body = QuotaInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        quota = services.quota_create(actor=request.user, batch_id=d["batch"], project_id=d["project"],
                                      amount_wan=d["amount"])
        return Response(QuotaSerializer(selectors.QuotaRow(quota=quota, issued_yuan=0, spent_yuan=0)).data,
                        status=201)


class BatchInSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.IntegerField(min_value=1, max_value=99)
    name = Text(required=False, allow_blank=True, max_length=100)
    issued_on = serializers.DateField(required=False, help_text="下达日期")


class BatchView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="专项债券批次（项目数、额度合计）", parameters=[_YEAR],
                   responses={200: OpenApiResponse(description="批次列表"), **error_responses(400, 403)})
    def get(self, request: Request) -> Response:
        policy.require(request.user, "read_business_data", message="您的角色不能查看专项债券数据")
        year, _m = selectors.check_year_month(user=request.user, year=request.query_params.get("year", plan_terms.plan_year()), month=12)
        return Response([{"id": b["batch"].pk, "year": b["batch"].year, "number": b["batch"].number,
                          "name": b["batch"].name, "issued_on": b["batch"].issued_on, "projects": b["projects"],
                          "amount": str(yuan_to_wan(b["amount_yuan"]))} for b in selectors.batches(user=request.user, year=year)])

    @extend_schema(summary="登记专项债券批次（市发展改革委管理员）", request=BatchInSerializer,
                   responses={201: OpenApiResponse(description="已登记"), **error_responses(400, 403, 409)})
    def post(self, request: Request) -> Response:
        body = BatchInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        batch = services.batch_create(actor=request.user, year=d["year"], number=d["number"], name=d.get("name", ""),
                                      issued_on=d.get("issued_on"))
        return Response({"id": batch.pk, "name": batch.name}, status=201)


class QuotaDetailView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="一个专项债券额度（另一单位的额度：404）",
                   responses={200: QuotaSerializer, **error_responses(403, 404)})
    def get(self, request: Request, pk: str) -> Response:
        policy.require(request.user, "read_business_data", message="您的角色不能查看专项债券数据")
        quota = BondQuota.objects.visible_to(request.user).filter(pk=pk_from_path(pk)).first()
        if quota is None:
            raise NotFound("专项债券额度不存在或不在您的查看范围内")
        row = next(r for r in selectors.quota_rows(user=request.user, year=quota.batch.year) if r.quota.pk == quota.pk)
        return Response(QuotaSerializer(row).data)


class IssuanceInSerializer(serializers.Serializer):
    quota = serializers.IntegerField(min_value=1)
    issued_on = serializers.DateField()
    amount = PositiveDecimal(max_digits=18, decimal_places=4, help_text="发行金额（万元）")


class IssuanceView(APIView):
    access_policy = "manage_city_data"
    @extend_schema(summary="登记专项债券发行（市发展改革委管理员）", request=IssuanceInSerializer,
                   responses={201: OpenApiResponse(description="已登记"), **error_responses(400, 403, 404)})
    def post(self, request: Request) -> Response:
        body = IssuanceInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        issuance = services.issuance_record(actor=request.user, quota_id=d["quota"], issued_on=d["issued_on"],
                                            amount_wan=d["amount"])
        return Response({"id": issuance.pk, "amount": str(yuan_to_wan(issuance.amount_yuan))}, status=201)


class SupplementaryApplicationSerializer(serializers.ModelSerializer):
    unit = Text(source="unit.code")
    amount = Wan(source="amount_yuan", help_text="申报金额（万元）")

    class Meta:
        model = SupplementaryApplication
        fields = ["id", "unit", "project", "name", "year", "amount", "submitted_on", "status", "reviewed_on",
                  "review_note"]


class ApplicationInSerializer(serializers.Serializer):
    unit = Text(max_length=32)
    name = Text(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = PositiveDecimal(max_digits=18, decimal_places=4, help_text="申报金额（万元）")
    submitted_on = serializers.DateField(required=False)
    project = serializers.IntegerField(required=False, min_value=1)


class ApplicationListView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="专项债补充申报项目及审核状态（按权限范围）", parameters=[_YEAR],
                   responses={200: SupplementaryApplicationSerializer(many=True), **error_responses(400, 403)})
    def get(self, request: Request) -> Response:
        year, _m = selectors.check_year_month(user=request.user, year=request.query_params.get("year", plan_terms.plan_year()), month=12)
        return Response(SupplementaryApplicationSerializer(selectors.applications(user=request.user, year=year), many=True).data)

    @extend_schema(summary="报送专项债补充申报项目（本单位）", request=ApplicationInSerializer,
                   responses={201: SupplementaryApplicationSerializer, **error_responses(400, 403, 404)})
    def post(self, request: Request) -> Response:
        body = ApplicationInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        app = services.application_submit(actor=request.user, unit_code=d["unit"], name=d["name"], year=d["year"],
                                          amount_wan=d["amount"], submitted_on=d.get("submitted_on"),
                                          project_id=d.get("project"))
        return Response(SupplementaryApplicationSerializer(app).data, status=201)


class ReviewInSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[ApplicationStatus.PASSED, ApplicationStatus.REJECTED])
    note = Text(required=False, allow_blank=True, max_length=500)
    reviewed_on = serializers.DateField(required=False)


class ApplicationReviewView(APIView):
    access_policy = "manage_city_data"
    @extend_schema(summary="审核补充申报项目（市发展改革委管理员）", request=ReviewInSerializer,
                   responses={200: SupplementaryApplicationSerializer, **error_responses(400, 403, 404, 409)})
    def post(self, request: Request, pk: str) -> Response:
        body = ReviewInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        app = services.application_review(actor=request.user, application_id=pk_from_path(pk), status=d["status"],
                                          note=d.get("note", ""), reviewed_on=d.get("reviewed_on"))
        return Response(SupplementaryApplicationSerializer(app).data)


class ViolationSerializer(serializers.ModelSerializer):
    unit = Text(source="unit.code")

    class Meta:
        model = ComplianceViolation
        fields = ["id", "unit", "project", "occurred_on", "description"]


class ViolationInSerializer(serializers.Serializer):
    unit = Text(max_length=32)
    occurred_on = serializers.DateField()
    description = Text(max_length=500)
    project = serializers.IntegerField(required=False, min_value=1)


class ViolationListView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="专项债券违规情况（按权限范围）", parameters=[_YEAR],
                   responses={200: ViolationSerializer(many=True), **error_responses(400, 403)})
    def get(self, request: Request) -> Response:
        year, _m = selectors.check_year_month(user=request.user, year=request.query_params.get("year", plan_terms.plan_year()), month=12)
        return Response(ViolationSerializer(selectors.violations(user=request.user, year=year), many=True).data)

    @extend_schema(summary="登记违规情况（市发展改革委管理员）", request=ViolationInSerializer,
                   responses={201: ViolationSerializer, **error_responses(400, 403, 404)})
    def post(self, request: Request) -> Response:
        body = ViolationInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        v = services.violation_record(actor=request.user, unit_code=d["unit"], occurred_on=d["occurred_on"],
                                      description=d["description"], project_id=d.get("project"))
        return Response(ViolationSerializer(v).data, status=201)


class LedgerImportInSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx 文件，列：项目代码、月份、本月支出（万元）")
    dry_run = FormFlag(required=False, default=False, help_text="只校验、不写入")


class LedgerImportView(APIView):
    access_policy = "signed_in"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(summary="导入专项债券支出台账 Excel（两阶段：全部校验通过才写入）",
                   request={"multipart/form-data": LedgerImportInSerializer},
                   responses={200: OpenApiResponse(description="校验结果；ok 为 false 时未写入任何数据"),
                              **error_responses(400, 403, 415)})
    def post(self, request: Request) -> Response:
        admission = uploads.admit(LEDGER, actor=request.user, door=uploads.API)
        body = LedgerImportInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return import_response(admission.receive(body.validated_data["file"], dry_run=body.validated_data["dry_run"]))
