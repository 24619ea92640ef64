"""Background generation of bulletins (huey), with progress a page polls.

The task opens its own audit context (source ``job``, the job's creator as actor, the job's id as
request id) and always ends its job, as succeeded or failed with a Chinese message.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from huey.contrib.djhuey import db_task

from tuijin.audit.context import audit_context
from tuijin.audit.services import coalesced
from tuijin.jobs.models import Job
from tuijin.jobs.services import job_create, job_enqueue, job_fail, job_finish, job_start, progress_callback
from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.toolkit.errors import ApplicationError
from tuijin.toolkit.periods import period_code

from . import services
from .models import Bulletin

logger = logging.getLogger(__name__)

BULLETIN = "bulletin"


def bulletin_enqueue(*, actor: User, year: int, month: int, quarterly: bool) -> Job:
    """Create the job of one bulletin and queue it (after the caller's transaction commits)."""
    policy.require(actor, "manage_city_data", message="只有市发展改革委管理员可以生成通报")
    code = period_code(year, month)
    label = "季度通报" if quarterly else "月度通报"
    job = job_create(kind=BULLETIN, created_by=actor, total=5,
                     params={"period": code, "quarterly": bool(quarterly), "filename": f"{code} {label}"},
                     message=f"等待生成 {code} {label}")
    return job_enqueue(job, run_bulletin)


@db_task()
def run_bulletin(job_id: str) -> None:
    run_bulletin_now(job_id)


def run_bulletin_now(job_id: str) -> dict[str, Any] | None:
    """The body of ``run_bulletin``: one bulletin, start to finish."""
    job = Job.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        logger.error("bulletin job %s not found", job_id)
        return None
    params = job.params or {}
    try:
        year, month = (int(part) for part in str(params.get("period", "")).split("-"))
        job_start(job.pk, message="正在生成通报")
        # One audit entry for the bulletin, its job included.
        with audit_context(source="job", actor=job.created_by, request_id=uuid.UUID(str(job.pk)),
                           reason=f"生成通报 {params.get('period', '')}"), coalesced():
            bulletin = services.bulletin_generate(actor=job.created_by, year=year, month=month,
                                                  quarterly=bool(params.get("quarterly")),
                                                  progress=progress_callback(job.pk, interval=0))
            Bulletin.objects.filter(pk=bulletin.pk).update(job=job)
        result = services.result_dict(bulletin)
        job_finish(job.pk, result=result, message="通报已生成")
        return result
    except ApplicationError as exc:
        job_fail(job.pk, exc.message)
    except Exception:
        logger.exception("bulletin job %s failed", job_id)
        job_fail(job.pk, f"生成失败：系统内部错误（任务编号 {job.pk}），请联系系统管理员")
    return None
