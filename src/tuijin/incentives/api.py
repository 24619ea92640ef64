"""API of incentives (二(六)15–18): calculator, proposals (免申即享) and the scan, applications with
their workflow and evidence, the budget view. Thin doors onto ``quotes``, ``selectors`` and
``services``; scoped like everything else (a unit sees its own projects' rows, 404 otherwise).

Money (万元) is a decimal string, as everywhere in the API, except the calculator whose JSON is
pinned: ``{"eligible", "amount_wan": number, "cap_wan": number, "years", "clause", "reasons"}``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tuijin.jobs.api import JobSerializer
from tuijin.orgs import policy
from tuijin.projects.api import MoneyField
from tuijin.toolkit.http.api import (
    Coded,
    JsonFlag,
    Pagination,
    Text,
    error_responses,
    pk_from_path,
    query_data,
)

from . import quotes, selectors, services, tasks
from .models import Application, ApplicationStatus, IncentiveRule, Proposal, ProposalStatus

RULE_HELP = "规则：interest_subsidy 贴息（二(六)16）/ equipment_award 设备投资奖励（二(六)17）/ reits_subsidy REITs补助（二(六)18）"


def _business(user: Any) -> None:
    policy.require(user, "read_business_data", message="您的角色不能查看投资奖补")


def wan(**kwargs: Any) -> MoneyField:
    return MoneyField(read_only=True, allow_null=True, max_digits=20, **kwargs)


# --- calculator -------------------------------------------------------------------------------------------------

@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "number"}]})
class AmountInput(serializers.Field):
    """An amount as a decimal string or a JSON number; the calculator checks its value."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, (str, int, float)):
            raise serializers.ValidationError("应为数字")
        return data


class QuoteRequestSerializer(serializers.Serializer):
    """The calculator's body: types are checked here, values by the calculator (Chinese field errors)."""

    rule = Coded(enum=["interest_subsidy", "equipment_award", "reits_subsidy"], help_text=RULE_HELP)
    total = AmountInput(required=False, help_text="总投资（万元）：interest_subsidy、equipment_award 必填")
    first_year = AmountInput(required=False, help_text="开工后一年内实际固定资产投资（万元）：interest_subsidy 必填")
    loan = AmountInput(required=False, help_text="贷款本金（万元）：interest_subsidy 必填")
    rate = AmountInput(required=False, help_text="同期银行贷款基准利率（%），默认取方案文件（interest_subsidy）")
    not_manufacturing = JsonFlag(required=False, help_text="非制造业项目（interest_subsidy）")
    equipment = AmountInput(required=False, help_text="生产和技术设备投资（万元）：equipment_award 必填")
    other_industry = JsonFlag(required=False, help_text="非主导产业（equipment_award）")
    nature = Coded(enum=["new", "expansion", "renovation"], required=False,
                                   help_text="项目性质：new 新建（默认）/ expansion 扩建 / renovation 改建（equipment_award）")
    not_producing = JsonFlag(required=False, help_text="尚未完成投产（equipment_award）")
    pre_expenses = AmountInput(required=False, help_text="前期经费实际支出（万元）：reits_subsidy 必填")
    not_in_reserve = JsonFlag(required=False, help_text="未纳入国家REITs储备项目库（reits_subsidy）")
    not_local = JsonFlag(required=False, help_text="原始权益人注册地不在本市（reits_subsidy）")
    issued = JsonFlag(required=False, help_text="已成功发行（reits_subsidy）")


class QuoteSerializer(serializers.Serializer):
    eligible = serializers.BooleanField(help_text="是否符合条件")
    amount_wan = serializers.FloatField(help_text="奖补金额（万元，数字）")
    cap_wan = serializers.FloatField(help_text="上限（万元，数字）；不符合条件时为0")
    years = serializers.IntegerField(allow_null=True, help_text="贴息年限；其他规则为 null")
    clause = Text(help_text="方案条款，如 二(六)16")
    reasons = serializers.ListField(child=Text(), help_text="核减或不予支持的每条原因（中文）")


class QuoteView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="奖补测算（贴息、设备投资奖励、REITs补助）", request=QuoteRequestSerializer,
                   responses={200: QuoteSerializer, **error_responses(400, 403)}, tags=["incentives"],
                   examples=[OpenApiExample("贴息", request_only=True,
                                            value={"rule": "interest_subsidy", "total": "200000",
                                                   "first_year": "100000", "loan": "50000"})])
    def post(self, request: Request) -> Response:
        _business(request.user)
        data = request.data if isinstance(request.data, dict) else {}
        QuoteRequestSerializer(data=data).is_valid(raise_exception=True)
        result = quotes.quote(str(data.get("rule") or ""), data)
        return Response(result.as_dict())


# --- proposals --------------------------------------------------------------------------------------------------

class FactSerializer(serializers.Serializer):
    label = Text()
    value = Text()
    link = Text(help_text="相关页面（项目、月报、REITs）的路径")


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField(source="project_id")
    project_name = Text(source="project.name")
    unit = Text(source="unit.code")
    rule = serializers.ChoiceField(choices=IncentiveRule.choices)
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    amount_wan = wan(help_text="金额（万元）；需凭材料核定或由市里研究确定时为 null")
    cap_wan = wan()
    years = serializers.IntegerField(allow_null=True)
    clause = Text()
    plan_hash = Text()
    facts = serializers.SerializerMethodField()
    reasons = serializers.ListField(child=Text())
    decision_reason = Text()
    decided_by = Text(source="decided_by.username", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(FactSerializer(many=True))
    def get_facts(self, obj: Any) -> list[dict[str, Any]]:
        return list((obj.facts or {}).get("items", []))


class DecisionSerializer(serializers.Serializer):
    reason = Text(required=False, allow_blank=True, max_length=500, help_text="理由；否定时必填")


class ProposalQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    rule = serializers.ChoiceField(choices=IncentiveRule.choices, required=False)
    status = serializers.ChoiceField(choices=ProposalStatus.choices, required=False)
    unit = Text(required=False, max_length=32)


class ProposalListView(GenericAPIView):
    access_policy = "read_business_data"
    queryset = Proposal.objects.none()
    pagination_class = Pagination
    serializer_class = ProposalSerializer

    @extend_schema(summary="免申即享：奖补线索（扫描发现，附所用事实）", parameters=[ProposalQuerySerializer],
                   responses={200: ProposalSerializer(many=True), **error_responses(400, 403, 404)}, tags=["incentives"])
    def get(self, request: Request) -> Response:
        _business(request.user)
        q = ProposalQuerySerializer(data=query_data(request))
        q.is_valid(raise_exception=True)
        qs = selectors.proposals_for(user=request.user, **q.validated_data)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ProposalSerializer(page, many=True).data)


class ProposalDetailView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="一条奖补线索", responses={200: ProposalSerializer, **error_responses(403, 404)},
                   tags=["incentives"])
    def get(self, request: Request, pk: str) -> Response:
        _business(request.user)
        return Response(ProposalSerializer(selectors.proposal_get(user=request.user, proposal_id=pk_from_path(pk))).data)


class ProposalDecisionView(APIView):
    access_policy = "read_business_data"
    confirm = True

    @extend_schema(request=DecisionSerializer, responses={200: ProposalSerializer, **error_responses(400, 403, 404, 409)},
                   tags=["incentives"], summary="确认或否定奖补线索（市工信局、市财政局）")
    def post(self, request: Request, pk: str) -> Response:
        _business(request.user)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.proposal_decide(actor=request.user, proposal_id=pk_from_path(pk), confirm=self.confirm,
                                            reason=body.validated_data.get("reason", ""))
        return Response(ProposalSerializer(proposal).data)


class ScanRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="年度，如 2022")


class ScanView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="运行免申即享筛查（后台任务，返回任务以查询进度）", request=ScanRequestSerializer,
                   responses={202: JobSerializer, **error_responses(400, 403)}, tags=["incentives"])
    def post(self, request: Request) -> Response:
        _business(request.user)
        body = ScanRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = tasks.scan_enqueue(actor=request.user, year=body.validated_data["year"])
        job.refresh_from_db()
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


# --- applications -----------------------------------------------------------------------------------------------

class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = Text()
    original_name = Text()
    content_type = Text()
    size = serializers.IntegerField()
    sha256 = Text()
    uploaded_at = serializers.DateTimeField()


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField(source="project_id")
    project_name = Text(source="project.name")
    unit = Text(source="unit.code")
    proposal = serializers.IntegerField(source="proposal_id", allow_null=True)
    rule = serializers.ChoiceField(choices=IncentiveRule.choices)
    period = serializers.IntegerField()
    owner_name = Text()
    owner_uscc = Text()
    inputs = serializers.DictField(help_text="申报数和平台事实（贷款本金、设备投资、前期经费、首年投资……）")
    requested_amount_wan = wan()
    cap_wan = wan()
    approved_amount_wan = wan()
    paid_amount_wan = wan()
    clause = Text()
    plan_hash = Text()
    reasons = serializers.ListField(child=Text())
    case_by_case = serializers.BooleanField()
    case_by_case_reason = Text()
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    reject_reason = Text()
    payment_reference = Text()
    submitted_at = serializers.DateTimeField()
    attachments = AttachmentSerializer(many=True, read_only=True)


class ApplicationCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1)
    rule = Coded(enum=["interest_subsidy", "equipment_award", "reits_subsidy", "reits_issuance"], max_length=32,
                 help_text="interest_subsidy / equipment_award / reits_subsidy / reits_issuance")
    period = serializers.IntegerField(min_value=2000, max_value=2100, help_text="期间（年度）")
    proposal = serializers.IntegerField(required=False, allow_null=True, help_text="关联的奖补线索（可选）")
    owner_name = Text(required=False, allow_blank=True, max_length=200)
    owner_uscc = Text(required=False, allow_blank=True, max_length=18)
    loan = Text(required=False, help_text="贷款本金（万元），贴息必填")
    rate = Text(required=False, help_text="基准利率（%），贴息可选")
    equipment = Text(required=False, help_text="生产和技术设备投资（万元），设备奖励必填")
    pre_expenses = Text(required=False, help_text="前期经费实际支出（万元），REITs补助必填")


class ApplicationQuerySerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=IncentiveRule.choices, required=False)
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, required=False)
    unit = Text(required=False, max_length=32)


class ApplicationListView(GenericAPIView):
    access_policy = "read_business_data"
    queryset = Application.objects.none()
    pagination_class = Pagination
    serializer_class = ApplicationSerializer

    @extend_schema(summary="奖补申请", parameters=[ApplicationQuerySerializer],
                   responses={200: ApplicationSerializer(many=True), **error_responses(400, 403, 404)}, tags=["incentives"])
    def get(self, request: Request) -> Response:
        _business(request.user)
        q = ApplicationQuerySerializer(data=query_data(request))
        q.is_valid(raise_exception=True)
        qs = selectors.applications_for(user=request.user, **q.validated_data).prefetch_related("attachments")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ApplicationSerializer(page, many=True).data)

    @extend_schema(summary="提交奖补申请（项目所属单位）", request=ApplicationCreateSerializer,
                   responses={201: ApplicationSerializer, **error_responses(400, 403, 404, 409)}, tags=["incentives"])
    def post(self, request: Request) -> Response:
        _business(request.user)
        body = ApplicationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        inputs = {k: v[k] for k in ("loan", "rate", "equipment", "pre_expenses") if v.get(k) not in (None, "")}
        app = services.application_submit(actor=request.user, project_id=v["project"], rule=v["rule"],
                                          period=v["period"], inputs=inputs, owner_name=v.get("owner_name", ""),
                                          owner_uscc=v.get("owner_uscc", ""), proposal_id=v.get("proposal"))
        app = selectors.application_get(user=request.user, application_id=app.pk)
        return Response(ApplicationSerializer(app).data, status=status.HTTP_201_CREATED)


class ApplicationDetailView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="一件奖补申请", responses={200: ApplicationSerializer, **error_responses(403, 404)},
                   tags=["incentives"])
    def get(self, request: Request, pk: str) -> Response:
        _business(request.user)
        app = selectors.application_get(user=request.user, application_id=pk_from_path(pk))
        return Response(ApplicationSerializer(app).data)


class ActionSerializer(serializers.Serializer):
    note = Text(required=False, allow_blank=True, max_length=500, help_text="审核意见（review）")
    amount_wan = Text(required=False, allow_blank=True,
                                       help_text="批准金额（万元，approve）；省略时按申请金额并受剩余上限约束")
    case_by_case = serializers.BooleanField(required=False, default=False, help_text="一事一议（approve）")
    case_by_case_reason = Text(required=False, allow_blank=True, max_length=500)
    reference = Text(required=False, allow_blank=True, max_length=64, help_text="拨付凭证号（pay）")
    reason = Text(required=False, allow_blank=True, max_length=500, help_text="退回理由（reject，必填）")


class ApplicationActionView(APIView):
    access_policy = "read_business_data"
    action_name = ""

    @extend_schema(request=ActionSerializer, responses={200: ApplicationSerializer, **error_responses(400, 403, 404, 409)},
                   tags=["incentives"], summary="申请流转：review 审核（责任部门）/ approve 批准、pay 拨付（市财政局）/ reject 退回")
    def post(self, request: Request, pk: str) -> Response:
        _business(request.user)
        body = ActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        app_id = pk_from_path(pk)
        user = request.user
        if self.action_name == "review":
            services.application_review(actor=user, application_id=app_id, note=v.get("note", ""))
        elif self.action_name == "approve":
            services.application_approve(actor=user, application_id=app_id, amount_wan=v.get("amount_wan") or None,
                                         case_by_case=v.get("case_by_case", False),
                                         case_by_case_reason=v.get("case_by_case_reason", ""))
        elif self.action_name == "pay":
            services.application_pay(actor=user, application_id=app_id, reference=v.get("reference", ""))
        else:
            services.application_reject(actor=user, application_id=app_id, reason=v.get("reason", ""))
        return Response(ApplicationSerializer(selectors.application_get(user=user, application_id=app_id)).data)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="证明材料：PDF、PNG、JPEG、XLSX、DOCX（按文件内容识别），大小上限见设置")
    kind = Text(required=False, allow_blank=True, max_length=32)


class AttachmentUploadView(APIView):
    access_policy = "read_business_data"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(summary="上传证明材料（项目所属单位，申请审核前）", request={"multipart/form-data": AttachmentUploadSerializer},
                   responses={201: AttachmentSerializer, **error_responses(400, 403, 404, 409, 415)}, tags=["incentives"])
    def post(self, request: Request, pk: str) -> Response:
        _business(request.user)
        body = AttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        att = services.attachment_add(actor=request.user, application_id=pk_from_path(pk),
                                      upload=body.validated_data["file"], kind=body.validated_data.get("kind", ""))
        return Response(AttachmentSerializer(att).data, status=status.HTTP_201_CREATED)


# --- budget -----------------------------------------------------------------------------------------------------

class BudgetRuleSerializer(serializers.Serializer):
    rule = Text()
    name = Text()
    budget_wan = wan()
    committed_wan = wan()
    paid_wan = wan()
    remaining_wan = wan()
    committed_percent = serializers.FloatField(allow_null=True)


class BudgetUnitSerializer(serializers.Serializer):
    unit = Text()
    name = Text()
    committed_wan = wan()
    paid_wan = wan()


class BudgetQuarterSerializer(serializers.Serializer):
    quarter = serializers.IntegerField()
    committed_wan = wan()
    paid_wan = wan()


class BudgetTotalSerializer(serializers.Serializer):
    budget_wan = wan()
    committed_wan = wan()
    paid_wan = wan()


class BudgetSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rules = BudgetRuleSerializer(many=True)
    units = BudgetUnitSerializer(many=True)
    quarters = BudgetQuarterSerializer(many=True)
    total = BudgetTotalSerializer()


class BudgetQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class BudgetView(APIView):
    access_policy = "read_business_data"
    @extend_schema(summary="奖补资金：按规则、单位、季度的已承诺和已拨付，对照年度预算", parameters=[BudgetQuerySerializer],
                   responses={200: BudgetSerializer, **error_responses(400, 403)}, tags=["incentives"])
    def get(self, request: Request) -> Response:
        _business(request.user)
        q = BudgetQuerySerializer(data=query_data(request))
        q.is_valid(raise_exception=True)
        return Response(BudgetSerializer(selectors.budget_view(user=request.user, year=q.validated_data.get("year"))).data)
