"""Background jobs: create, report progress, finish or fail (DESIGN §2: long work shows progress).

A job row is what a page or the API polls. Each write here is one short statement in
autocommit, so a poller sees the progress while the job works. (Called inside someone
else's transaction, the write joins that transaction and shows when it commits.)
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from tuijin.orgs.models import User
from tuijin.toolkit import clock
from tuijin.toolkit.http.middleware import is_job_queue_down

from .models import Job, JobStatus

#: A progress callback writes at most this often (seconds); the first and the last call always write.
PROGRESS_INTERVAL = 0.5


def job_create(*, kind: str, created_by: User, params: dict[str, Any] | None = None, total: int = 0,
               input_file: str = "", message: str = "") -> Job:
    """A queued job for ``created_by``; the caller enqueues the task that runs it."""
    return Job.objects.create(kind=kind, created_by=created_by, params=params or {}, total=max(0, int(total)),
                              input_file=input_file, message=message[:500])


#: A job whose task could not be queued (Redis down): what the job's page and the API show.
QUEUE_DOWN_MESSAGE = "任务未能排队：后台任务服务（任务队列）无法连接，任务未执行；请稍后重新提交"


def job_enqueue(job: Job, task: Callable[[str], Any]) -> Job:
    """Queue ``task(job_id)`` now, or once the caller's transaction commits.

    If the queue (Redis) cannot be reached the job is marked failed with :data:`QUEUE_DOWN_MESSAGE` — never left
    "queued" for ever — and the error goes on to the door, which answers 503 (API) or a page saying so.
    """
    from huey.contrib.djhuey import HUEY

    job_id = str(job.pk)

    def send() -> None:
        try:
            task(job_id)
        except Exception as exc:
            if is_job_queue_down(exc):
                job_fail(job_id, QUEUE_DOWN_MESSAGE)
                job.status, job.message = JobStatus.FAILED, QUEUE_DOWN_MESSAGE
            raise

    if HUEY.immediate or not connection.in_atomic_block:
        send()
    else:  # the worker must find the job: queue it once the caller's transaction commits
        transaction.on_commit(send)
    return job


def job_start(job_id: uuid.UUID | str, *, message: str = "") -> None:
    with transaction.atomic():
        Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=clock.real_now(),
                                             message=message[:500])


def job_progress(job_id: uuid.UUID | str, done: int, total: int | None = None, message: str = "") -> None:
    """Record how far the job is: ``done`` of ``total`` (total unchanged when None)."""
    values: dict[str, Any] = {"done": max(0, int(done))}
    if total is not None:
        values["total"] = max(0, int(total))
    if message:
        values["message"] = str(message)[:500]
    with transaction.atomic():
        Job.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(**values)


def job_finish(job_id: uuid.UUID | str, *, result: Any = None, message: str = "") -> None:
    """The job succeeded; ``result`` (JSON) is what the page and the API show."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        job.status = JobStatus.SUCCEEDED
        job.result = result
        job.message = (message or job.message)[:500]
        job.finished_at = clock.real_now()
        if job.total and job.done < job.total:
            job.done = job.total
        job.save(update_fields=["status", "result", "message", "finished_at", "done"])


def job_fail(job_id: uuid.UUID | str, message: str, *, result: Any = None) -> None:
    """The job failed; ``message`` (Chinese) says why."""
    with transaction.atomic():
        Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, message=str(message)[:500], result=result,
                                             finished_at=clock.real_now())


def progress_callback(job_id: uuid.UUID | str, *, interval: float = PROGRESS_INTERVAL) -> Callable[..., None]:
    """A ``progress(done, total, message="")`` callable for long work, writing at most every ``interval`` s.

    Work that counts row by row can call it for every row: only a few calls reach the database.
    """
    state: dict[str, float | None] = {"last": None}

    def progress(done: int, total: int | None = None, message: str = "", *args: Any, **kwargs: Any) -> None:
        now = time.monotonic()
        final = total is not None and done >= total
        last = state["last"]
        if not final and last is not None and now - last < interval:
            return
        state["last"] = now
        job_progress(job_id, done, total, message)

    return progress
