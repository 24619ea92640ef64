"""One upload pipeline for every spreadsheet import and every door (DESIGN §9; issue 13).

An importing app describes its import once, as an :class:`Importer`, and registers it in its
``importing`` module, next to its row validation (e.g. ``tuijin.stats.importing.STATS``). The steps
every import takes are written here, once, for the page, the API, the command line and the job:

1. **Admit** (:func:`admit`) — the importer's permission predicate, asked once per import, before the
   file is stored or read. A page or API door admits first, so a refused user gets 403 before any
   400 about the file and nothing of theirs is stored; the importer's own entry point calls
   :func:`admit` too, so that a command or a script calling it directly is checked at the same place.
   Inside the pipeline (a door that admitted, a job that a door queued) that second call does not ask
   again: the permission is decided once.
2. **Save** (:meth:`Admission.receive`) — the size limit (:func:`size_refusal`, the one message of every
   door), a random name under ``VAR_DIR/uploads`` (never the user's file name, outside every served
   folder: :func:`save_upload`), and removal when the import is over (:func:`discard`).
3. **Check, then dry-run, run now, or queue** — the importer's ``run`` checks the file as a file
   (:func:`tuijin.toolkit.spreadsheets.check_xlsx`: size, not OLE/encrypted, a real xlsx, no zip bomb)
   before it reads a cell, validates every row, and writes only a clean file that is not a dry run. It
   returns its :class:`~tuijin.toolkit.spreadsheets.ImportIssues`, whose ``as_dict()`` is the result JSON
   of every door: ``{"ok", "errors", "warnings", "summary"}`` (and the importer's own keys). A file with
   more than ``TUIJIN_ASYNC_IMPORT_ROWS`` rows, for an importer declared ``background=True``, goes to a
   background job instead (:func:`enqueue`, :func:`run_job`): the job's page and API show its progress
   and then the same JSON.
4. **Translate errors** — an :class:`~tuijin.toolkit.errors.ApplicationError` goes to the door as it
   is (page: the message where the form was; API: its status and body; CLI: the message, exit 1; job:
   failed with the message and :func:`~tuijin.toolkit.spreadsheets.refusal` as its result). Any other
   failure while importing an uploaded file is logged and becomes a 400 with the importer's
   ``unreadable`` message, never a 500. If the job queue (Redis) cannot be reached, the job is marked
   failed with ``QUEUE_DOWN_MESSAGE`` (:func:`tuijin.jobs.services.job_enqueue`), the upload is removed,
   and the error goes on to the door, which answers 503.

Doors: :func:`admit` + :meth:`Admission.receive` (pages and API views; :func:`receive` for both at
once), :func:`import_file` (the command line and scripts; :class:`tuijin.jobs.importcommand.ImportCommand`
is the CLI adapter with ``--as USER --dry-run --json``), :func:`run_job` (the huey task :func:`run_import`).

Plugging in an importer — e.g. the approvals import of a later issue, ``tuijin import-approvals FILE
[--as USER] [--dry-run] [--json]`` — is one registration in the app's ``importing`` module, plus the
command module Django needs to find the command by name::

    # tuijin/projects/importing.py
    def import_approvals(*, actor, path, dry_run=False, filename=None, progress=None) -> ApprovalsResult:
        uploads.admit(APPROVALS, actor=actor)          # the one check (a no-op inside the pipeline)
        ...                                           # check_xlsx, every row, write when clean

    APPROVALS = uploads.register(uploads.Importer(
        kind="approvals_import", label="审批事项", run=import_approvals,
        may_import=may_import_approvals, refusal="只有……可以导入审批事项"))

    # tuijin/projects/management/commands/import_approvals.py
    class Command(ImportCommand):
        importer = APPROVALS
        help = "导入审批事项（Excel）：先校验全部数据，无错误时一次写入"

A page or API view for it is ``uploads.admit(APPROVALS, actor=request.user, door=uploads.PAGE)`` and
``admission.receive(file, dry_run=...)`` (see ``bonds.views.ledger_upload``, ``bonds.api.LedgerImportView``);
``background=True`` with ``count_rows`` sends its large files to the job queue with no other change.

This module sits in ``jobs`` (beside reporting in the layers: anything may queue a job) and imports
only ``jobs``, ``orgs``, ``audit`` and ``toolkit`` — never a domain app; importers reach it, not it them
(the job runner finds an importer by kind, importing every app's ``importing`` module on a miss).
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from huey.contrib.djhuey import db_task

from tuijin.audit.context import audit_context
from tuijin.orgs.models import User
from tuijin.toolkit.discovery import app_modules
from tuijin.toolkit.errors import ApplicationError, PermissionRefused, ValidationFailed
from tuijin.toolkit.spreadsheets import ImportIssues, refusal

from .models import Job
from .services import job_create, job_enqueue, job_fail, job_finish, job_start, progress_callback

logger = logging.getLogger(__name__)

#: The doors, as an importer's ``refusal`` may word its message for each.
PAGE, API, CLI = "page", "api", "cli"

#: The message of a file the importer failed on unexpectedly (logged for the maintainers; never a 500).
UNREADABLE = "无法读取或导入该文件，请确认它是 .xlsx 文件"


@dataclass(eq=False)
class Importer:
    """What one spreadsheet import is, for every door.

    ``run(*, actor, path, dry_run, filename, progress, **params)`` validates the file at ``path`` and,
    when it is clean and not a dry run, writes it (under the caller's audit context); it returns its
    ``ImportIssues``. It starts with ``admit(importer, actor=actor, ...)``. ``params`` are the names of
    the import's own parameters (the CLI's ``--period``, a job's stored params); ``checks`` are those
    among them that the permission depends on: ``may_import(actor, **checks)`` answers whether
    ``actor`` (``None``: the system, a command without ``--as``) may import; ``refusal`` is the Chinese
    message when not — a string, or ``refusal(door=..., **params)`` for a message worded per door.
    """

    kind: str  # registry key and the kind of its jobs, e.g. "progress_import"
    label: str  # what is imported, in Chinese: "月度进展"
    run: Callable[..., ImportIssues]
    may_import: Callable[..., bool]
    refusal: str | Callable[..., str]
    params: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    #: Large files (more than ``TUIJIN_ASYNC_IMPORT_ROWS`` rows, as ``count_rows(path)`` counts) go to a job.
    background: bool = False
    count_rows: Callable[[Path], int] | None = None
    unreadable: str = UNREADABLE
    #: The audit reason of a command-line or job import: ``{reason} {file name}`` (default ``导入{label}``).
    reason: str = ""

    def audit_reason(self, filename: str) -> str:
        return f"{self.reason or f'导入{self.label}'} {filename}".strip()

    def refusal_message(self, *, door: str, params: Mapping[str, Any]) -> str:
        if isinstance(self.refusal, str):
            return self.refusal
        return self.refusal(door=door, **params)


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    """Make ``importer`` known by its kind (for its background jobs); returns it, for a module constant."""
    known = _IMPORTERS.get(importer.kind)
    if known is not None and known is not importer:
        raise ImproperlyConfigured(f"two importers of kind {importer.kind!r}: {known.label} and {importer.label}")
    _IMPORTERS[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    """The importer of ``kind``; an app's importers register when its ``importing`` module is imported."""
    if kind not in _IMPORTERS:
        app_modules("importing")
    try:
        return _IMPORTERS[kind]
    except KeyError:
        raise LookupError(f"no importer of kind {kind!r}") from None


# ---------------------------------------------------------------------------
# 1. Admit: the one permission check of an import

#: The import the pipeline is running now, already admitted: (kind, actor, the checked params).
_ADMITTED: ContextVar[tuple | None] = ContextVar("tuijin_import_admitted", default=None)


def _admission_key(importer: Importer, actor: User | None, params: Mapping[str, Any]) -> tuple:
    who = ("system",) if actor is None else ("user", actor.pk)
    return (importer.kind, who, tuple((name, params.get(name)) for name in importer.checks))


@contextmanager
def _admitted(importer: Importer, actor: User | None, params: Mapping[str, Any]) -> Iterator[None]:
    token = _ADMITTED.set(_admission_key(importer, actor, params))
    try:
        yield
    finally:
        _ADMITTED.reset(token)


@dataclass(frozen=True)
class Outcome:
    """What a page or API import came to: the result JSON, or the background job that will give it."""

    result: dict[str, Any] | None = None
    job: Job | None = None


@dataclass(frozen=True)
class Admission:
    """An import the actor may make (from :func:`admit`): what a door then hands the uploaded file to."""

    importer: Importer
    actor: User | None
    door: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def receive(self, upload: Any, *, dry_run: bool, **params: Any) -> Outcome:
        """Save the upload, import it now or queue its job, and remove it when the import is over.

        ``params`` adds the import's parameters that the permission does not depend on (the
        statistical period of ``import-stats``). Raises ``ApplicationError`` (a refused file or
        parameter) and the job queue's connection error (the door answers 503).
        """
        importer = self.importer
        for name in importer.checks:
            if name in params and params[name] != self.params.get(name):
                raise ValueError(f"{name} was admitted as {self.params.get(name)!r}, not {params[name]!r}")
        params = {**self.params, **params}
        check_size(upload)
        filename = getattr(upload, "name", "") or "upload.xlsx"
        path = save_upload(upload)
        queued = False
        try:
            rows = _count_rows(importer, path)
            if rows > settings.TUIJIN_ASYNC_IMPORT_ROWS:
                job = enqueue(importer, actor=self.actor, path=path, dry_run=dry_run, filename=filename, rows=rows,
                              **params)
                queued = True  # the job removes the file when it ends
                job.refresh_from_db()
                return Outcome(job=job)
            try:
                with _admitted(importer, self.actor, params):
                    result = importer.run(actor=self.actor, path=path, dry_run=dry_run, filename=filename,
                                          progress=None, **_own(importer, params))
            except ApplicationError:
                raise
            except Exception as exc:
                logger.exception("%s of %s failed", importer.kind, filename)
                raise ValidationFailed(importer.unreadable, field="file") from exc
            return Outcome(result=result.as_dict())
        finally:
            if not queued:
                discard(path)


def admit(importer: Importer, *, actor: User | None, door: str = CLI, **params: Any) -> Admission:
    """Whether ``actor`` may make this import: the importer's predicate, asked once; ``PermissionRefused``
    with the importer's message when not. Inside an import the pipeline already admitted (the door
    before it stored the file, or the job it queued), the importer's own call passes without asking."""
    if _ADMITTED.get() != _admission_key(importer, actor, params):
        checked = {name: params.get(name) for name in importer.checks}
        if not importer.may_import(actor, **checked):
            raise PermissionRefused(importer.refusal_message(door=door, params=params))
    return Admission(importer=importer, actor=actor, door=door, params=params)


def receive(importer: Importer, upload: Any, *, actor: User | None, door: str, dry_run: bool,
            **params: Any) -> Outcome:
    """:func:`admit`, then :meth:`Admission.receive`: for a door with nothing to validate between them."""
    return admit(importer, actor=actor, door=door, **params).receive(upload, dry_run=dry_run)


def import_file(importer: Importer, *, actor: User | None, path: str | os.PathLike[str], dry_run: bool = False,
                filename: str | None = None, progress: Callable[..., None] | None = None,
                **params: Any) -> ImportIssues:
    """The command line's (and a script's) door: the file is the caller's own, neither stored nor
    removed; the importer admits the actor itself, before it reads the file. Needs an audit context."""
    return importer.run(actor=actor, path=path, dry_run=dry_run, filename=filename, progress=progress,
                        **_own(importer, params))


def _own(importer: Importer, params: Mapping[str, Any]) -> dict[str, Any]:
    """The importer's own parameters out of ``params`` (a job's params also hold dry_run, filename, rows)."""
    return {name: params.get(name, "") for name in importer.params}


def _count_rows(importer: Importer, path: Path) -> int:
    if not importer.background or importer.count_rows is None:
        return 0
    try:
        return importer.count_rows(path)
    except ApplicationError:
        raise
    except Exception:  # an unreadable file: the import itself says what is wrong with it
        return 0


# ---------------------------------------------------------------------------
# 2. Save: the size limit, a random name under VAR_DIR/uploads, removal

def size_refusal(size: int | None) -> str | None:
    """The refusal of a file above ``TUIJIN_MAX_UPLOAD_BYTES`` (forms and API alike), or None."""
    limit = settings.TUIJIN_MAX_UPLOAD_BYTES
    if size is None or size <= limit:
        return None
    return f"文件过大（{size / 1024 / 1024:.1f}MB），不能超过{limit / 1024 / 1024:.0f}MB"


def check_size(upload: Any) -> None:
    message = size_refusal(getattr(upload, "size", None))
    if message:
        raise ValidationFailed(message, field="file")


def upload_dir() -> Path:
    """Where uploads wait for their import or job (under ``settings.VAR_DIR``, outside every served folder)."""
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_upload(upload: Any) -> Path:
    """Write an uploaded file under a random name where the importer (and a background job) can read it."""
    handle, path = tempfile.mkstemp(suffix=".xlsx", dir=upload_dir())
    with os.fdopen(handle, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return Path(path)


def discard(path: str | os.PathLike[str]) -> None:
    """Remove a stored upload; one already gone is fine."""
    if not path:
        return
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        logger.warning("could not remove upload %s", path)


# ---------------------------------------------------------------------------
# 3. The background job of a large file

def enqueue(importer: Importer, *, actor: User, path: str | os.PathLike[str], dry_run: bool, filename: str,
            rows: int, **params: Any) -> Job:
    """Create the job of an admitted import and queue it; the job removes ``path`` when it ends."""
    job = job_create(kind=importer.kind, created_by=actor, total=rows, input_file=str(path),
                     params={**_own(importer, params), "dry_run": bool(dry_run), "filename": filename, "rows": rows},
                     message=f"等待导入 {filename}（{rows}行）")
    return job_enqueue(job, run_import)


@db_task()
def run_import(job_id: str) -> None:
    """The huey task of every import job."""
    run_job(job_id)


def run_job(job_id: str) -> dict[str, Any] | None:
    """The body of :func:`run_import`: a job's import, start to finish, always ending the job.

    It opens its own audit context (source ``job``, the job's creator as actor, the job's id as request
    id: "what did this import change" is one filter). The door admitted the import before it queued it.
    """
    job = Job.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        logger.error("import job %s not found", job_id)
        return None
    params = job.params or {}
    try:
        importer = importer_for(job.kind)
        job_start(job.pk, message="正在校验和导入")
        with (audit_context(source="job", actor=job.created_by, request_id=uuid.UUID(str(job.pk)),
                            reason=importer.audit_reason(params.get("filename", ""))),
              _admitted(importer, job.created_by, params)):
            result = importer.run(actor=job.created_by, path=job.input_file, dry_run=bool(params.get("dry_run")),
                                  filename=params.get("filename") or None, progress=progress_callback(job.pk),
                                  **_own(importer, params))
        body = result.as_dict()
        if body.get("ok"):
            message = "校验通过（未写入）" if params.get("dry_run") else "导入完成"
        else:
            message = f"发现{len(body.get('errors') or [])}处错误，未写入任何数据"
        job_finish(job.pk, result=body, message=message)
        return body
    except ApplicationError as exc:
        job_fail(job.pk, exc.message, result=refusal(exc.message))
    except Exception:
        logger.exception("import job %s failed", job_id)
        job_fail(job.pk, f"导入失败：系统内部错误（任务编号 {job.pk}），请联系系统管理员")
    finally:
        discard(job.input_file)
    return None
