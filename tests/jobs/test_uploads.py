"""The one upload pipeline (tuijin.jobs.uploads): every importer and every door asks its permission once,
a refused file comes back as the issue JSON and leaves nothing behind, a dry run writes nothing, a queued
job gives the synchronous result, and a new importer plugs in with one registration."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from reporting import test_workflow as workflow
from reporting.import_fixtures import build_xlsx, data_row
from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.bonds.importing import LEDGER
from tuijin.jobs import uploads
from tuijin.jobs.importcommand import ImportCommand
from tuijin.jobs.models import Job, JobStatus
from tuijin.programmes.importing import INCLUSION
from tuijin.reporting.importing import PROGRESS
from tuijin.reporting.models import ProgressReport
from tuijin.stats.importing import STATS
from tuijin.toolkit.errors import PermissionRefused
from tuijin.toolkit.spreadsheets import ImportIssues, check_xlsx

building, clock = workflow.building, workflow.clock  # fixtures shared with the reporting tests

pytestmark = pytest.mark.django_db

IMPORTERS = (PROGRESS, STATS, LEDGER, INCLUSION)


@pytest.fixture
def asked(monkeypatch) -> Counter:
    """How often each importer's permission predicate was asked, by kind."""
    calls: Counter = Counter()
    for importer in IMPORTERS:
        def counting(actor: Any, _real: Any = importer.may_import, _kind: str = importer.kind, **checks: Any) -> bool:
            calls[_kind] += 1
            return _real(actor, **checks)

        monkeypatch.setattr(importer, "may_import", counting)
    return calls


@pytest.fixture
def stored(settings, tmp_path) -> Any:
    """The uploads stored now (each test has its own upload folder)."""
    settings.VAR_DIR = tmp_path / "var"
    return lambda: sorted(uploads.upload_dir().iterdir())


def api_for(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def progress_file(building, tmp_path) -> Path:
    projects = [building(), building()]
    return build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code) for p in projects], meta=("2022-07", "jinshui"))


def sheet(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]] = ()) -> Path:
    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet("数据")
    page.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        page.write_row(r, 0, row)
    book.close()
    return path


def post_progress(api: APIClient, path: Path, **extra: Any) -> Any:
    with path.open("rb") as fh:
        return api.post("/api/v1/progress/import/", {"file": fh, "period": "2022-07", "unit": "jinshui", **extra},
                        format="multipart")


# -- the permission is asked once, whatever the door --------------------------------------------

def test_a_progress_import_asks_once_at_the_page_the_api_the_command_and_the_job(
        users, client_for, progress_file, asked, stored, settings):
    with progress_file.open("rb") as fh:
        page = client_for("jinshui").post("/reporting/2022-07/jinshui/upload/", {"file": fh, "dry_run": "on"})
    assert page.status_code == 200 and 'data-ok="1"' in page.content.decode()
    assert asked["progress_import"] == 1

    assert post_progress(api_for(users["jinshui"]), progress_file, dry_run="true").json()["ok"]
    assert asked["progress_import"] == 2

    call_command("import_progress", str(progress_file), "--period", "2022-07", "--unit", "jinshui", "--as", "jinshui",
                 "--dry-run", stdout=io.StringIO())
    assert asked["progress_import"] == 3

    settings.TUIJIN_ASYNC_IMPORT_ROWS = 1  # to the job queue (huey runs it at once in tests)
    response = post_progress(api_for(users["jinshui"]), progress_file)
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["job"])
    assert job.status == JobStatus.SUCCEEDED and job.result["summary"]["created"] == 2
    assert asked["progress_import"] == 4  # the door's; the job ran as admitted
    assert ProgressReport.objects.count() == 2 and stored() == []


def ledger_file(tmp_path: Path) -> Path:
    return sheet(tmp_path / "ledger.xlsx", ("项目代码", "月份", "本月支出（万元）"))


def inclusion_file(tmp_path: Path) -> Path:
    return sheet(tmp_path / "inclusion.xlsx", ("项目代码", "入库日期"))


def stats_file(tmp_path: Path) -> Path:
    return sheet(tmp_path / "stats.xlsx", ("单位代码", "指标", "本年累计（万元）", "同比增长（%）"))


# importer, page URL, API URL, command, its file (a header without rows: refused as empty, after the check)
DOORS = [
    (STATS, "/stats/upload/", "/api/v1/stats/import/", ["import_stats", "--period", "2022-06"], stats_file),
    (LEDGER, "/bonds/ledger/", "/api/v1/bonds/ledger/import/", ["import_bond_ledger"], ledger_file),
    (INCLUSION, "/programmes/statistics/import/", "/api/v1/programmes/statistics/import/",
     ["import_statistics_inclusion"], inclusion_file),
]


@pytest.mark.parametrize(("importer", "page_url", "api_url", "command", "make"), DOORS,
                         ids=[d[0].kind for d in DOORS])
def test_every_other_importer_asks_once_at_each_door(users, client_for, asked, stored, tmp_path, importer, page_url,
                                                     api_url, command, make):
    path = make(tmp_path)
    form = {"period": "2022-06"} if importer is STATS else {}
    with path.open("rb") as fh:
        page = client_for("fgw").post(page_url, {"file": fh, **form})
    assert page.status_code in (200, 400) and "没有数据行" in page.content.decode()
    assert asked[importer.kind] == 1
    with path.open("rb") as fh:
        body = api_for(users["fgw"]).post(api_url, {"file": fh, **form}, format="multipart").json()
    assert body["ok"] is False and "没有数据行" in body["errors"][0]["message"]
    assert asked[importer.kind] == 2
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(command[0], str(path), *command[1:], "--as", "fgw", "--json", stdout=out)
    assert json.loads(out.getvalue())["ok"] is False
    assert asked[importer.kind] == 3
    assert stored() == []


def test_a_refused_user_is_asked_once_and_nothing_of_theirs_is_stored(users, client_for, progress_file, asked,
                                                                      stored, tmp_path):
    response = post_progress(api_for(users["leader"]), progress_file)
    assert response.status_code == 403 and response.json()["detail"] == "您只能查看金水区的月报，不能导入"
    with progress_file.open("rb") as fh:
        page = client_for("leader").post("/reporting/2022-07/jinshui/upload/", {"file": fh})
    assert page.status_code == 403 and "您只能查看该单位的月报，不能导入" in page.content.decode()
    assert asked["progress_import"] == 2
    with ledger_file(tmp_path).open("rb") as fh:
        assert api_for(users["leader"]).post("/api/v1/bonds/ledger/import/", {"file": fh}).status_code == 403
    with inclusion_file(tmp_path).open("rb") as fh:
        refused = api_for(users["jinshui"]).post("/api/v1/programmes/statistics/import/", {"file": fh})
    assert refused.status_code == 403 and refused.json()["detail"] == "只有统计局、市发展改革委可以导入入库纳统名单"
    assert (asked["bond_ledger_import"], asked["statistics_inclusion_import"]) == (1, 1)
    assert stored() == [] and not AuditEntry.objects.filter(action="import").exists()


def test_the_inclusion_import_is_checked_once_not_three_times(users, asked, tmp_path, make_project):
    project = make_project("jinshui", stage="construction")
    path = sheet(tmp_path / "in.xlsx", ("项目代码", "入库日期"), [[project.project_code, "2022-06-20"]])
    with path.open("rb") as fh:
        body = api_for(users["fgw"]).post("/api/v1/programmes/statistics/import/", {"file": fh}).json()
    assert body["ok"] and body["summary"]["updated"] == 1
    assert asked["statistics_inclusion_import"] == 1  # was: the view, the import and the service


# -- file refusals ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "says"), [
    (b"%PDF-1.7 not a workbook", "不是 Excel 工作簿"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600, "已加密"),
    (b"PK\x03\x04 a broken zip", "已损坏"),
])
def test_a_refused_file_comes_back_as_the_issue_json_and_is_removed(users, stored, content, says):
    upload = SimpleUploadedFile("f.xlsx", content)
    outcome = uploads.receive(PROGRESS, upload, actor=users["jinshui"], door=uploads.API, dry_run=False,
                              period="2022-07", unit="jinshui")
    body = outcome.result
    assert outcome.job is None and set(body) >= {"ok", "errors", "warnings", "summary"}
    assert body["ok"] is False and says in body["errors"][0]["message"] and body["errors"][0]["row"] is None
    assert stored() == []


def test_a_file_above_the_limit_is_refused_before_it_is_stored(users, progress_file, stored, client_for, settings):
    settings.TUIJIN_MAX_UPLOAD_BYTES = 1000
    response = post_progress(api_for(users["jinshui"]), progress_file)
    assert response.status_code == 400 and response.json()["errors"]["file"][0].startswith("文件过大（")
    with progress_file.open("rb") as fh:
        page = client_for("jinshui").post("/reporting/2022-07/jinshui/upload/", {"file": fh})
    assert page.status_code == 400 and "文件过大（" in page.content.decode()
    assert stored() == []


def test_an_unexpected_failure_is_a_400_with_the_importers_message_never_a_500(users, progress_file, stored,
                                                                              monkeypatch):
    def explode(**kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(PROGRESS, "run", explode)
    response = post_progress(api_for(users["jinshui"]), progress_file)
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [PROGRESS.unreadable] and "disk" not in response.content.decode()
    assert stored() == []


# -- a dry run writes nothing; a queued job gives the synchronous result ------------------------------

def writes() -> tuple[int, int]:
    return ProgressReport.objects.count(), AuditEntry.objects.filter(object_type__startswith="reporting.").count()


def test_a_dry_run_writes_nothing_at_any_door(users, client_for, progress_file, stored, settings):
    before = writes()
    with progress_file.open("rb") as fh:
        client_for("jinshui").post("/reporting/2022-07/jinshui/upload/", {"file": fh, "dry_run": "on"})
    api = post_progress(api_for(users["jinshui"]), progress_file, dry_run="true").json()
    out = io.StringIO()
    call_command("import_progress", str(progress_file), "--period", "2022-07", "--unit", "jinshui", "--dry-run",
                 "--json", stdout=out)
    settings.TUIJIN_ASYNC_IMPORT_ROWS = 1
    job = Job.objects.get(pk=post_progress(api_for(users["jinshui"]), progress_file, dry_run="true").json()["job"])
    for body in (api, json.loads(out.getvalue()), job.result):
        assert body["ok"] and body["summary"]["dry_run"] is True and body["summary"]["created"] == 2
        assert body["summary"]["batch"] is None
    assert writes() == before and stored() == []


def test_a_queued_job_gives_the_same_result_as_the_import_run_at_once(users, progress_file, settings):
    api = api_for(users["jinshui"])
    now = post_progress(api, progress_file, dry_run="true")
    settings.TUIJIN_ASYNC_IMPORT_ROWS = 1
    queued = post_progress(api, progress_file, dry_run="true")
    assert (now.status_code, queued.status_code) == (200, 202)
    polled = api.get(queued.json()["status_url"]).json()
    assert polled["status"] == "succeeded" and polled["result"] == now.json()

    written = Job.objects.get(pk=post_progress(api, progress_file).json()["job"]).result  # and for real
    def same(body: dict) -> dict:
        return {**body, "summary": {k: v for k, v in body["summary"].items() if k not in ("batch", "dry_run")}}
    assert same(written) == same(now.json()) and written["summary"]["batch"]
    assert AuditEntry.objects.filter(object_id=written["summary"]["batch"], action="import").count() == 1


@pytest.mark.django_db(transaction=True)  # the job is queued at once, as in production, not on a test's commit
def test_the_queue_down_fails_the_job_and_removes_the_upload(users, progress_file, stored, settings, monkeypatch):
    from huey.contrib.djhuey import HUEY
    from redis.exceptions import ConnectionError as RedisConnectionError

    from tuijin.jobs.services import QUEUE_DOWN_MESSAGE

    def refuse(task: Any) -> None:
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(HUEY, "immediate", False)
    monkeypatch.setattr(HUEY, "enqueue", refuse)
    settings.TUIJIN_ASYNC_IMPORT_ROWS = 1
    response = post_progress(api_for(users["jinshui"]), progress_file)
    assert response.status_code == 503 and response.json()["code"] == "unavailable"
    job = Job.objects.get()
    assert (job.status, job.message) == (JobStatus.FAILED, QUEUE_DOWN_MESSAGE)
    assert stored() == [] and ProgressReport.objects.count() == 0


# -- the registry, and an importer that plugs in with one registration --------------------------------

def test_the_job_runner_finds_every_importer_by_kind_and_refuses_two_of_one_kind():
    assert [uploads.importer_for(i.kind) for i in IMPORTERS] == list(IMPORTERS)
    assert uploads.register(STATS) is STATS  # registering the same importer again is harmless
    with pytest.raises(ImproperlyConfigured):
        uploads.register(replace(STATS))
    with pytest.raises(LookupError):
        uploads.importer_for("no_such_import")


@dataclass(kw_only=True)
class SheetResult(ImportIssues):
    dry_run: bool = False
    rows: int = 0

    def summary(self) -> dict[str, Any]:
        return {"rows": self.rows, "dry_run": self.dry_run, **super().summary()}

    def report_lines(self) -> list[str]:
        return [*self.issue_lines(), f"数据行 {self.rows} 行"]


def count_rows(path: Path) -> int:
    return 5


def _approvals(*, actor: Any, path: Any, dry_run: bool, filename: Any = None, progress: Any = None) -> SheetResult:
    """A stand-in for the approvals import of a later issue: admit, check the file, count the rows."""
    uploads.admit(APPROVALS, actor=actor)
    result = SheetResult(dry_run=dry_run)
    check_xlsx(path)
    result.rows = 2
    if progress is not None:
        progress(2, 2)
    return result


APPROVALS = uploads.Importer(kind="test_approvals_import", label="审批事项", run=_approvals,
                             may_import=lambda actor: actor is None or actor.username == "fgw",
                             refusal="只有市发展改革委可以导入审批事项")


class ApprovalsCommand(ImportCommand):
    importer = APPROVALS
    help = "导入审批事项"


@pytest.fixture
def approvals(monkeypatch) -> uploads.Importer:
    monkeypatch.setitem(uploads._IMPORTERS, APPROVALS.kind, APPROVALS)
    return APPROVALS


def test_an_importer_plugs_into_every_door_with_one_registration(approvals, users, tmp_path, stored, settings,
                                                                monkeypatch):
    path = sheet(tmp_path / "a.xlsx", ("项目代码", "审批事项"), [["x", "立项"], ["y", "环评"]])
    out = io.StringIO()
    call_command(ApprovalsCommand(), str(path), "--as", "fgw", "--json", stdout=out)
    assert json.loads(out.getvalue())["summary"] == {"rows": 2, "dry_run": False, "error_count": 0,
                                                     "warning_count": 0}
    with pytest.raises(CommandError, match="只有市发展改革委可以导入审批事项"):
        call_command(ApprovalsCommand(), str(path), "--as", "jinshui", stdout=io.StringIO())

    upload = SimpleUploadedFile("a.xlsx", path.read_bytes())
    outcome = uploads.receive(approvals, upload, actor=users["fgw"], door=uploads.API, dry_run=True)
    assert outcome.result["ok"] and outcome.result["summary"]["rows"] == 2
    with pytest.raises(PermissionRefused):
        uploads.receive(approvals, upload, actor=users["jinshui"], door=uploads.PAGE, dry_run=True)

    # its large files go to the job queue by declaring so
    monkeypatch.setitem(uploads._IMPORTERS, APPROVALS.kind, replace(approvals, background=True, count_rows=count_rows))
    settings.TUIJIN_ASYNC_IMPORT_ROWS = 1
    upload.seek(0)
    queued = uploads.receive(uploads.importer_for(APPROVALS.kind), upload, actor=users["fgw"], door=uploads.API,
                             dry_run=True)
    assert queued.result is None and queued.job.status == JobStatus.SUCCEEDED
    assert queued.job.result == outcome.result and queued.job.done == queued.job.total
    assert stored() == []


def test_a_direct_call_of_an_importer_is_admitted_at_its_entry(users, approvals, tmp_path, asked):
    path = sheet(tmp_path / "a.xlsx", ("项目代码",), [["x"]])
    with pytest.raises(PermissionRefused, match="只有市发展改革委可以导入审批事项"):
        uploads.import_file(approvals, actor=users["jinshui"], path=path)
    assert uploads.import_file(approvals, actor=None, path=path).ok  # the system: a command without --as
    with audit_context(source="cli"), pytest.raises(PermissionRefused):
        from tuijin.stats.importing import import_stats

        import_stats(actor=users["jinshui"], path=stats_file(tmp_path), period_code="2022-06")
    assert asked["stats_import"] == 1
