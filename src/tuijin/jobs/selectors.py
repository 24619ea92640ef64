"""Reads of background jobs: a job is seen by its creator and by the city administrator."""

from __future__ import annotations

import uuid

from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.toolkit.errors import NotFound

from .models import Job


def job_get(*, user: User, job_id: uuid.UUID | str) -> Job:
    """The job if ``user`` may see it; 404 otherwise (another user's job is simply not found)."""
    try:
        key = job_id if isinstance(job_id, uuid.UUID) else uuid.UUID(str(job_id))
    except ValueError:
        raise NotFound("任务不存在") from None
    job = Job.objects.select_related("created_by").filter(pk=key).first()
    if job is None or not policy.can(user, "see_job", job):
        raise NotFound("任务不存在或不是您创建的")
    return job
