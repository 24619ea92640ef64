"""API of background jobs: a job's progress and result, for its creator and the city administrator; and the
answer of an import door (:mod:`tuijin.jobs.uploads`): the result JSON, or 202 with the job of a large file."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from tuijin.toolkit.http.api import Text, error_responses

from .models import Job, JobStatus
from .selectors import job_get
from .uploads import Outcome

STATUS_HELP = "`queued` 排队 / `running` 进行中 / `succeeded` 完成 / `failed` 失败"


class JobStatusField(serializers.ChoiceField):
    """A job's status, documented once as the ``JobStatus`` component."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=JobStatus.choices, help_text=STATUS_HELP, **kwargs)


class JobStatusFieldSchema(OpenApiSerializerFieldExtension):
    target_class = JobStatusField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        component = ResolvedComponent(name="JobStatus", type=ResolvedComponent.SCHEMA, object="JobStatus",
                                      schema={"type": "string", "enum": list(JobStatus.values),
                                              "description": STATUS_HELP})
        auto_schema.registry.register_on_missing(component)
        return component.ref


class JobSerializer(serializers.ModelSerializer):
    status = JobStatusField()
    percent = serializers.IntegerField(read_only=True, help_text="进度（%）")
    result = serializers.JSONField(allow_null=True, read_only=True,
                                   help_text="结果：导入任务为与 import-progress --json 相同的 JSON")
    page_url = serializers.SerializerMethodField(help_text="带进度条的页面地址")

    class Meta:
        model = Job
        fields = ["id", "kind", "status", "done", "total", "percent", "message", "created_at", "started_at",
                  "finished_at", "result", "page_url"]
        read_only_fields = fields

    def get_page_url(self, job: Job) -> str:
        return f"/jobs/{job.pk}/"


@extend_schema_view(
    retrieve=extend_schema(summary="后台任务的进度和结果（仅任务创建者和市发展改革委）",
                           responses={200: JobSerializer, **error_responses(403, 404)}),
)
class JobViewSet(viewsets.GenericViewSet):
    """One background job: poll it until ``status`` is ``succeeded`` or ``failed``."""
    access_policy = "signed_in"

    serializer_class = JobSerializer
    queryset = Job.objects.none()
    filter_backends: list = []
    lookup_value_regex = "[^/]+"  # any id reaches the view, which answers a JSON 404

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(JobSerializer(job_get(user=request.user, job_id=pk or "")).data)


class JobAcceptedSerializer(serializers.Serializer):
    """202: a large file is imported by a background job; poll ``status_url``."""

    job = serializers.UUIDField(help_text="任务编号")
    status = Text(help_text="任务状态")
    rows = serializers.IntegerField(help_text="数据行数")
    status_url = Text(help_text="查询任务进度的API地址")
    page_url = Text(help_text="带进度条的页面地址")


def import_response(outcome: Outcome) -> Response:
    """An import door's answer: 200 with the result JSON (``ok`` false: nothing written), or 202 with the
    background job of a large file (:class:`JobAcceptedSerializer`)."""
    job = outcome.job
    if job is not None:
        return Response({"job": job.pk, "status": job.status, "rows": job.total, "status_url": f"/api/v1/jobs/{job.pk}/",
                         "page_url": f"/jobs/{job.pk}/"}, status=202)
    return Response(outcome.result)
