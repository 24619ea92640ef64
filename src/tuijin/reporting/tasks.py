"""The background job of a large progress import, in the words of monthly reporting.

The work is the upload pipeline's (:mod:`tuijin.jobs.uploads`: its one task runs every import job,
with progress a page polls, and always ends the job); this module names the progress import's side
of it for scripts and tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from huey.contrib.djhuey import db_task

from tuijin.jobs import uploads
from tuijin.jobs.models import Job
from tuijin.orgs.models import User

from .importing import PROGRESS


def upload_dir() -> Path:
    """Where uploads wait for their job (under ``settings.VAR_DIR``)."""
    return uploads.upload_dir()


def progress_import_enqueue(*, actor: User, path: str, period_code: str, unit_code: str, dry_run: bool,
                            filename: str, rows: int) -> Job:
    """Create the job of a large import (whose actor was admitted) and queue it; the job deletes ``path``."""
    return uploads.enqueue(PROGRESS, actor=actor, path=path, dry_run=dry_run, filename=filename, rows=rows,
                           period=period_code, unit=unit_code)


@db_task()
def run_progress_import(job_id: str) -> None:
    """A progress import job by this task's name, as queued before every import had one task."""
    uploads.run_job(job_id)


def run_progress_import_now(job_id: str) -> dict[str, Any] | None:
    """The body of ``run_progress_import``: the import of a job's file, start to finish."""
    return uploads.run_job(job_id)
