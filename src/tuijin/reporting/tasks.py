"""Background work of monthly reporting (huey): large progress imports, with progress a page polls.

A task opens its own audit context (source ``job``, the job's creator as actor, the job's id
as request id: "what did this import change" is one filter), and always ends its job, as
succeeded or failed with a Chinese message; it never leaves it running.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from huey.contrib.djhuey import db_task

from tuijin.audit.context import audit_context
from tuijin.jobs.models import Job
from tuijin.jobs.services import job_create, job_enqueue, job_fail, job_finish, job_start, progress_callback
from tuijin.orgs.models import User
from tuijin.toolkit.errors import ApplicationError

logger = logging.getLogger(__name__)

PROGRESS_IMPORT = "progress_import"


def upload_dir() -> Path:
    """Where uploads wait for their job (under ``settings.VAR_DIR``)."""
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_import_enqueue(*, actor: User, path: str, period_code: str, unit_code: str, dry_run: bool,
                            filename: str, rows: int) -> Job:
    """Create the job of a large import and queue it; the task deletes ``path`` when done."""
    job = job_create(kind=PROGRESS_IMPORT, created_by=actor, total=rows, input_file=str(path),
                     params={"period": period_code, "unit": unit_code, "dry_run": bool(dry_run),
                             "filename": filename, "rows": rows},
                     message=f"等待导入 {filename}（{rows}行）")
    return job_enqueue(job, run_progress_import)


@db_task()
def run_progress_import(job_id: str) -> None:
    run_progress_import_now(job_id)


def run_progress_import_now(job_id: str) -> dict[str, Any] | None:
    """The body of ``run_progress_import``: the import of a job's file, start to finish."""
    from . import importing  # written beside this module; imported late so that a worker starts without it

    job = Job.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        logger.error("progress import job %s not found", job_id)
        return None
    params = job.params or {}
    try:
        job_start(job.pk, message="正在校验和导入")
        with audit_context(source="job", actor=job.created_by, request_id=uuid.UUID(str(job.pk)),
                           reason=f"导入月度进展 {params.get('filename', '')}".strip()):
            result = importing.import_progress(
                actor=job.created_by, path=job.input_file, period_code=params.get("period", ""),
                unit_code=params.get("unit", ""), dry_run=bool(params.get("dry_run")),
                progress=progress_callback(job.pk), filename=params.get("filename") or None,
            )
        body = result.as_dict()
        if body.get("ok"):
            message = "校验通过（未写入）" if params.get("dry_run") else "导入完成"
        else:
            message = f"发现{len(body.get('errors') or [])}处错误，未写入任何数据"
        job_finish(job.pk, result=body, message=message)
        return body
    except ApplicationError as exc:
        job_fail(job.pk, exc.message, result={"ok": False, "errors": [
            {"sheet": None, "row": None, "column": None, "message": exc.message}], "warnings": [], "summary": {}})
    except Exception:
        logger.exception("progress import job %s failed", job_id)
        job_fail(job.pk, f"导入失败：系统内部错误（任务编号 {job.pk}），请联系系统管理员")
    finally:
        _remove(job.input_file)
    return None


def _remove(path: str) -> None:
    if path:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError:
            logger.warning("could not remove upload %s", path)
