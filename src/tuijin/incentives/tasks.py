"""Background work of incentives (huey): the eligibility scan (免申即享) as a job with progress, and
its monthly schedule (1st of the month, 02:30, the current year, as the system)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tuijin.audit.context import audit_context
from tuijin.jobs.models import Job
from tuijin.jobs.services import job_create, job_enqueue, job_fail, job_finish, job_start, progress_callback
from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.plan import default_year
from tuijin.toolkit.errors import ApplicationError, PermissionRefused

logger = logging.getLogger(__name__)

INCENTIVES_SCAN = "incentives_scan"


def scan_enqueue(*, actor: User, year: int) -> Job:
    """Create the scan's job for ``actor`` and queue it (after the caller's transaction commits)."""
    from . import services

    if not policy.can(policy.acting(actor), "act_for_city_or_department", services.deciding_departments()):
        raise PermissionRefused("只有市发展改革委、市工信局或市财政局可以运行奖补筛查")
    job = job_create(kind=INCENTIVES_SCAN, created_by=actor, params={"year": int(year)},
                     message=f"等待筛查{year}年奖补线索")
    return job_enqueue(job, run_scan)


@db_task()
def run_scan(job_id: str) -> None:
    run_scan_now(job_id)


def run_scan_now(job_id: str) -> dict[str, Any] | None:
    from . import services

    job = Job.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        logger.error("incentives scan job %s not found", job_id)
        return None
    year = int((job.params or {}).get("year") or default_year())
    try:
        job_start(job.pk, message=f"正在筛查{year}年奖补线索")
        with audit_context(source="job", actor=job.created_by, request_id=uuid.UUID(str(job.pk)),
                           reason=f"{year}年奖补筛查（免申即享）"):
            result = services.incentives_scan(actor=job.created_by, year=year, progress=progress_callback(job.pk))
        job_finish(job.pk, result=result,
                   message=f"发现{result['found']}条线索，新增{result['created']}条，更新{result['updated']}条")
        return result
    except ApplicationError as exc:
        job_fail(job.pk, exc.message)
    except Exception:
        logger.exception("incentives scan job %s failed", job_id)
        job_fail(job.pk, f"筛查失败：系统内部错误（任务编号 {job.pk}），请联系系统管理员")
    return None


@db_periodic_task(crontab(day="1", hour="2", minute="30"))
def monthly_scan() -> dict[str, Any]:
    """The monthly 免申即享 scan of the current year, as the system."""
    from . import services

    year = default_year()
    with audit_context(source="job", reason=f"{year}年奖补筛查（每月自动）"):
        return services.incentives_scan(actor=None, year=year)
