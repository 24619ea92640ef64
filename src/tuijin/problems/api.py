"""API of the problem ledger: ``/api/v1/problems/`` — the same scope and services as the pages.

A unit sees its own problems, a department those routed to it, city roles all; anything else is a
JSON 404. Steps are ``POST problems/{id}/act/`` with ``{"action", "note"}``; a step not allowed in the
problem's state is 409, by the wrong organisation 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tuijin.toolkit import clock
from tuijin.toolkit.http.api import Coded, Text, error_responses, pk_from_path, query_data

from . import rules, selectors, services
from .models import Problem, ProblemStatus


def _category_name(code: str, raised_on: dt.date) -> str:
    """The category's name in the plan that routed the problem (the plan of the day it was raised)."""
    for category in services.plan_on(raised_on).rules.problem_deadlines.categories:
        if category.code == code:
            return category.name
    return code


class ProblemEventSerializer(serializers.Serializer):
    action = Text(help_text="raise / accept / start / resolve / return / close / reopen / "
                                             "resubmit / comment / attach / escalate")
    from_status = Text()
    to_status = Text()
    note = Text()
    actor = serializers.SerializerMethodField()
    at = serializers.DateTimeField()

    def get_actor(self, event: Any) -> str:
        return event.actor.username if event.actor is not None else "system"


class ProblemAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = Text()
    content_type = Text()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()


class ProblemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = Text(source="unit.code", help_text="报送单位代码")
    unit_name = Text(source="unit.name")
    project = serializers.IntegerField(source="project_id")
    project_name = Text(source="project.name")
    category = Text(help_text="问题类别（方案文件 rules.problem_deadlines）")
    category_name = serializers.SerializerMethodField()
    title = Text()
    department = Text(source="department.code", help_text="责任部门代码")
    department_name = Text(source="department.name")
    status = Text(help_text="raised 已提交 / accepted 已受理 / in_progress 办理中 / resolved 已解决待确认 / closed 已办结 / returned 已退回")
    status_label = Text()
    raised_on = serializers.DateField()
    deadline = serializers.DateField(help_text="办理时限（提出之日起按类别的工作日数）")
    overdue = serializers.SerializerMethodField(help_text="是否逾期未办结")
    escalation_level = Text(help_text="逾期升级：'' / department_head 部门负责人 / supervision 督查室")
    version = serializers.IntegerField()

    def get_category_name(self, problem: Problem) -> str:
        return _category_name(problem.category, problem.raised_on)

    def get_overdue(self, problem: Problem) -> bool:
        return problem.is_overdue(clock.today())


class ProblemDetailSerializer(ProblemSerializer):
    description = Text()
    resolution = Text()
    accepted_on = serializers.DateField(allow_null=True)
    resolved_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    raiser_org = Text(source="raiser_org.code", help_text="提出问题的单位（只有它能确认办结）")
    events = ProblemEventSerializer(many=True)
    attachments = ProblemAttachmentSerializer(many=True)


class ProblemFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProblemStatus.choices, required=False, allow_blank=True)
    category = Text(required=False, allow_blank=True, max_length=32)
    unit = Text(required=False, allow_blank=True, max_length=32)
    department = Text(required=False, allow_blank=True, max_length=32)
    overdue = serializers.BooleanField(required=False, default=False, help_text="只看逾期未办结的")
    q = Text(required=False, allow_blank=True, max_length=100)


class ProblemCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    category = Coded(enum=services.category_codes(),
                     max_length=32, help_text="land / funds / approvals / demolition / municipal / "
                                                               "environment / utilities / other")
    title = Text(max_length=200)
    description = Text(max_length=2000, required=False, allow_blank=True, default="")


class ProblemActSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(rules.TRANSITIONS),
                                     help_text="部门：accept / start / resolve / return；提出单位：close / reopen / resubmit")
    note = Text(max_length=2000, required=False, allow_blank=True, default="",
                                 help_text="resolve、return、reopen 必填")


class CommentSerializer(serializers.Serializer):
    text = Text(max_length=2000)


class StatsQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=["department", "unit"], required=False, default="department",
                                 help_text="department 按责任部门（默认）/ unit 按报送单位")


class StatsRowSerializer(serializers.Serializer):
    code = Text()
    name = Text()
    total = serializers.IntegerField(help_text="问题数")
    resolved = serializers.IntegerField(help_text="已解决（含已办结）")
    open = serializers.IntegerField(help_text="未解决")
    overdue = serializers.IntegerField(help_text="逾期未解决")
    rate = serializers.FloatField(allow_null=True, help_text="解决率（%）")
    avg_days = serializers.FloatField(allow_null=True, help_text="平均办理天数（提出至解决）")


class ProblemViewSet(viewsets.GenericViewSet):
    access_policy = "signed_in"
    serializer_class = ProblemSerializer
    queryset = Problem.objects.none()
    filter_backends: list = []
    lookup_value_regex = "[^/]+"

    def _detail(self, problem_id: int) -> dict[str, Any]:
        return ProblemDetailSerializer(selectors.problem_detail(user=self.request.user, problem_id=problem_id)).data

    @extend_schema(summary="项目问题台账（按权限范围）", parameters=[ProblemFilterSerializer],
                   responses={200: ProblemSerializer(many=True), **error_responses(400, 403, 404)}, tags=["problems"])
    def list(self, request: Request) -> Response:
        params = ProblemFilterSerializer(data=query_data(request))
        params.is_valid(raise_exception=True)
        qs = selectors.problem_list(user=request.user, filters=params.validated_data, today=clock.today())
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ProblemSerializer(page, many=True).data)

    @extend_schema(summary="解决率和平均办理时间（按责任部门或报送单位，按权限范围）", parameters=[StatsQuerySerializer],
                   responses={200: StatsRowSerializer(many=True), **error_responses(400, 403)}, tags=["problems"])
    @action(detail=False, methods=["get"], pagination_class=None)
    def stats(self, request: Request) -> Response:
        params = StatsQuerySerializer(data=query_data(request))
        params.is_valid(raise_exception=True)
        rows = selectors.problem_stats(user=request.user, by=params.validated_data["by"], today=clock.today())
        return Response(StatsRowSerializer(rows, many=True).data)

    @extend_schema(summary="提交项目问题（按类别分派责任部门并确定办理时限）", request=ProblemCreateSerializer,
                   responses={201: ProblemDetailSerializer, **error_responses(400, 403, 404)}, tags=["problems"])
    def create(self, request: Request) -> Response:
        body = ProblemCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        problem = services.problem_raise(actor=request.user, project_id=body.validated_data["project"],
                                         category=body.validated_data["category"], title=body.validated_data["title"],
                                         description=body.validated_data["description"], today=clock.today())
        return Response(self._detail(problem.pk), status=status.HTTP_201_CREATED)

    @extend_schema(summary="一个项目问题及其办理过程", responses={200: ProblemDetailSerializer, **error_responses(403, 404)},
                   tags=["problems"])
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(self._detail(pk_from_path(pk)))

    @extend_schema(summary="办理一步：受理、办理、答复、退回（责任部门）；确认办结、重新办理、重新提交（提出单位）",
                   request=ProblemActSerializer,
                   responses={200: ProblemDetailSerializer, **error_responses(400, 403, 404, 409)}, tags=["problems"])
    @action(detail=True, methods=["post"])
    def act(self, request: Request, pk: str | None = None) -> Response:
        problem_id = pk_from_path(pk)
        selectors.problem_detail(user=request.user, problem_id=problem_id)
        body = ProblemActSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.problem_act(actor=request.user, problem_id=problem_id, action=body.validated_data["action"],
                             note=body.validated_data["note"], today=clock.today())
        return Response(self._detail(problem_id))

    @extend_schema(summary="发表意见", request=CommentSerializer,
                   responses={201: ProblemDetailSerializer, **error_responses(400, 403, 404)}, tags=["problems"])
    @action(detail=True, methods=["post"])
    def comments(self, request: Request, pk: str | None = None) -> Response:
        problem_id = pk_from_path(pk)
        selectors.problem_detail(user=request.user, problem_id=problem_id)
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.problem_comment(actor=request.user, problem_id=problem_id, text=body.validated_data["text"])
        return Response(self._detail(problem_id), status=status.HTTP_201_CREATED)
