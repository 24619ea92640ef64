"""API of the inbox: ``/api/v1/notifications/`` — a user's own notifications only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tuijin.toolkit.http.api import Text, error_responses, pk_from_path, query_data

from . import selectors, services
from .models import Notification


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = Text(help_text="report_deadline / report_returned / problem_assigned / problem_due / "
                                           "problem_escalated / task_assigned / task_due / task_overdue / escalation …")
    title = Text()
    body = Text()
    link = Text()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class InboxFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False, help_text="只看未读")


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="标为已读的条数")
    unread = serializers.IntegerField(help_text="剩余未读条数")


class NotificationViewSet(viewsets.GenericViewSet):
    access_policy = "signed_in"
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()
    filter_backends: list = []
    lookup_value_regex = "[^/]+"

    @extend_schema(summary="我的消息（提醒）", parameters=[InboxFilterSerializer],
                   responses={200: NotificationSerializer(many=True), **error_responses(400, 403, 404)},
                   tags=["notifications"])
    def list(self, request: Request) -> Response:
        params = InboxFilterSerializer(data=query_data(request))
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.inbox(user=request.user, unread_only=params.validated_data["unread"]))
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    @extend_schema(summary="标为已读", request=None,
                   responses={200: NotificationSerializer, **error_responses(403, 404)}, tags=["notifications"])
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = services.notification_read(actor=request.user, notification_id=pk_from_path(pk))
        return Response(NotificationSerializer(notification).data)

    @extend_schema(summary="全部标为已读", request=None, responses={200: ReadAllSerializer, **error_responses(403)},
                   tags=["notifications"])
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        marked = services.notifications_read_all(actor=request.user)
        return Response({"marked": marked, "unread": selectors.unread_count(user=request.user)})
