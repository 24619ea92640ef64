"""API of supervision: ``/api/v1/supervision/tasks/`` — the same scope and services as the pages.

City roles see every task, a unit or department the tasks assigned to it (else a JSON 404). The
supervision office creates tasks (``POST``); the assigned organisation or the office adds monthly
follow-ups and closes a task with evidence.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.toolkit import clock
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.http.api import Text, error_responses, pk_from_path, query_data

from . import presentation, selectors, services, sources
from .models import SupervisionTask, TaskStatus


class FollowUpSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    note = Text()
    author = serializers.SerializerMethodField()
    at = serializers.DateTimeField()

    def get_author(self, entry: Any) -> str:
        return entry.author.username if entry.author is not None else "system"


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = Text(help_text="来源：manual 督查室交办 / meeting 周例会 / escalation 末位约谈 / "
                                           "overdue_problem 逾期问题 / bond_talk / stalled_deal / …")
    kind_label = serializers.SerializerMethodField()
    source_key = Text()
    title = Text()
    measure = Text()
    link = Text()
    org = Text(source="org.code", help_text="责任单位代码")
    org_name = Text(source="org.name")
    assignee = serializers.SerializerMethodField(help_text="责任人（用户名），未指定时为 null")
    assignee_name = Text()
    deadline = serializers.DateField()
    original_deadline = serializers.DateField()
    extensions = serializers.IntegerField()
    status = Text(help_text="open 在办 / closed 已办结")
    overdue = serializers.SerializerMethodField(help_text="'' / overdue 逾期 / repeated 多次逾期")
    created_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    evidence = Text()

    def get_kind_label(self, task: SupervisionTask) -> str:
        return sources.kind_label(task.kind)

    def get_assignee(self, task: SupervisionTask) -> str | None:
        return task.assignee.username if task.assignee is not None else None

    def get_overdue(self, task: SupervisionTask) -> str:
        return presentation.overdue_state(task, clock.today())


class TaskDetailSerializer(TaskSerializer):
    follow_ups = FollowUpSerializer(many=True)


class TaskFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False, allow_blank=True)
    kind = Text(required=False, allow_blank=True, max_length=32)
    org = Text(required=False, allow_blank=True, max_length=32)
    overdue = serializers.BooleanField(required=False, default=False, help_text="只看逾期的")
    repeated = serializers.BooleanField(required=False, default=False, help_text="只看多次逾期的")
    q = Text(required=False, allow_blank=True, max_length=100)


class TaskCreateSerializer(serializers.Serializer):
    org = Text(max_length=32, help_text="责任单位代码（区县（市）、开发区或市直部门）")
    title = Text(max_length=300)
    measure = Text(max_length=2000, required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text="办理时限；省略时按方案文件 supervision.default_deadline_days")
    assignee = Text(max_length=150, required=False, allow_blank=True, default="",
                                     help_text="责任人用户名（须属于责任单位）")
    assignee_name = Text(max_length=64, required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = Text(max_length=2000)


class CloseSerializer(serializers.Serializer):
    evidence = Text(max_length=2000, help_text="办结佐证材料说明（必填）")


class TaskViewSet(viewsets.GenericViewSet):
    access_policy = "signed_in"
    serializer_class = TaskSerializer
    queryset = SupervisionTask.objects.none()
    filter_backends: list = []
    lookup_value_regex = "[^/]+"

    def _detail(self, task_id: int) -> dict[str, Any]:
        return TaskDetailSerializer(selectors.task_detail(user=self.request.user, task_id=task_id)).data

    @extend_schema(summary="督办任务（按权限范围；可筛选逾期、多次逾期）", parameters=[TaskFilterSerializer],
                   responses={200: TaskSerializer(many=True), **error_responses(400, 403, 404)}, tags=["supervision"])
    def list(self, request: Request) -> Response:
        params = TaskFilterSerializer(data=query_data(request))
        params.is_valid(raise_exception=True)
        qs = selectors.task_list(user=request.user, filters=params.validated_data, today=clock.today())
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(TaskSerializer(page, many=True).data)

    @extend_schema(summary="交办督办任务（督查室）", request=TaskCreateSerializer,
                   responses={201: TaskDetailSerializer, **error_responses(400, 403, 404)}, tags=["supervision"])
    def create(self, request: Request) -> Response:
        policy.require(request.user, "supervise", message="只有市政府督查室可以交办督办任务")
        body = TaskCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        org = Org.objects.filter(code=data["org"]).first()
        if org is None:
            raise ValidationFailed(f"责任单位“{data['org']}”不存在", field="org")
        assignee = None
        if data["assignee"]:
            assignee = User.objects.filter(username=data["assignee"], is_active=True).first()
            if assignee is None:
                raise ValidationFailed(f"用户“{data['assignee']}”不存在", field="assignee")
        task = services.task_create(actor=request.user, org=org, title=data["title"], measure=data["measure"],
                                    deadline=data["deadline"], today=clock.today(), assignee=assignee,
                                    assignee_name=data["assignee_name"])
        return Response(self._detail(task.pk), status=status.HTTP_201_CREATED)

    @extend_schema(summary="一个督办任务及其月度跟进", responses={200: TaskDetailSerializer, **error_responses(403, 404)},
                   tags=["supervision"])
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(self._detail(pk_from_path(pk)))

    @extend_schema(summary="填写月度跟进情况", request=NoteSerializer,
                   responses={201: TaskDetailSerializer, **error_responses(400, 403, 404, 409)}, tags=["supervision"])
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request: Request, pk: str | None = None) -> Response:
        task_id = pk_from_path(pk)
        selectors.task_detail(user=request.user, task_id=task_id)
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.task_follow_up(actor=request.user, task_id=task_id, note=body.validated_data["note"],
                                today=clock.today())
        return Response(self._detail(task_id), status=status.HTTP_201_CREATED)

    @extend_schema(summary="办结（须提交佐证材料说明）", request=CloseSerializer,
                   responses={200: TaskDetailSerializer, **error_responses(400, 403, 404, 409)}, tags=["supervision"])
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        task_id = pk_from_path(pk)
        selectors.task_detail(user=request.user, task_id=task_id)
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.task_close(actor=request.user, task_id=task_id, evidence=body.validated_data["evidence"],
                            today=clock.today())
        return Response(self._detail(task_id))


