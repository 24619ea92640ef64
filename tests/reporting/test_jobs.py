"""Background jobs: progress, finishing, failing (a task that raises never leaves its job running),
the huey task of a large import, and the job page that polls with htmx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tuijin.audit.models import AuditEntry
from tuijin.jobs import services as jobs
from tuijin.jobs.models import Job, JobStatus
from tuijin.reporting import tasks
from tuijin.reporting.models import ProgressReport
from tuijin.toolkit import clock as clock_module

from . import test_workflow as workflow
from .import_fixtures import build_xlsx, data_row

building, clock = workflow.building, workflow.clock  # fixtures shared with the workflow tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(users) -> Job:
    return jobs.job_create(kind="progress_import", created_by=users["jinshui"], total=10,
                           params={"period": "2022-07", "unit": "jinshui", "filename": "f.xlsx"})


def test_progress_is_recorded_and_shown_as_a_percentage(job):
    jobs.job_start(job.pk)
    jobs.job_progress(job.pk, 4, 10, "校验中")
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.message, job.percent) == ("running", 4, 10, "校验中", 40)
    jobs.job_finish(job.pk, result={"ok": True}, message="完成")
    job.refresh_from_db()
    assert (job.status, job.percent, job.result, job.finished) == ("succeeded", 100, {"ok": True}, True)
    jobs.job_progress(job.pk, 1, 10)  # a late tick does not reopen a finished job
    job.refresh_from_db()
    assert job.done == 10


def test_job_timings_stay_real_time_at_a_business_date(job, business_date):
    business_date("2022-07-15")
    jobs.job_start(job.pk)
    jobs.job_finish(job.pk, result={"ok": True})
    job.refresh_from_db()
    real_today = clock_module.real_today()
    assert real_today != dt.date(2022, 7, 15)
    assert timezone.localdate(job.started_at) == timezone.localdate(job.finished_at) == real_today


def test_the_progress_callback_writes_only_now_and_then(job, monkeypatch):
    writes = []
    real = jobs.job_progress
    monkeypatch.setattr(jobs, "job_progress", lambda *args: (writes.append(args[1]), real(*args)))
    progress = jobs.progress_callback(job.pk, interval=3600)
    for done in range(1, 1001):
        progress(done, 1000)
    assert writes == [1, 1000]  # the first call and the last, nothing between within the interval
    job.refresh_from_db()
    assert job.done == 1000


def test_a_task_that_raises_marks_its_job_failed(job, monkeypatch, tmp_path):
    from tuijin.reporting import importing

    upload = tmp_path / "upload.xlsx"
    upload.write_bytes(b"x")
    Job.objects.filter(pk=job.pk).update(input_file=str(upload))

    def explode(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importing, "import_progress", explode)
    tasks.run_progress_import(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert "系统内部错误" in job.message and "disk on fire" not in job.message
    assert not upload.exists()


def test_a_refusal_of_the_import_fails_the_job_with_its_message(job, monkeypatch):
    from tuijin.reporting import importing
    from tuijin.toolkit.errors import PermissionRefused

    def refuse(**kwargs):
        raise PermissionRefused("您无权为中原区导入月度进展")

    monkeypatch.setattr(importing, "import_progress", refuse)
    tasks.run_progress_import(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "您无权为中原区导入月度进展")
    assert job.result["errors"][0]["message"] == "您无权为中原区导入月度进展"


def test_a_missing_job_is_logged_not_raised(db):
    assert tasks.run_progress_import_now("00000000-0000-0000-0000-000000000000") is None


def test_the_import_task_reports_progress_and_audits_as_the_jobs_creator(users, building, clock, tmp_path):
    a, b = building(), building()
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(a.project_code), data_row(b.project_code)],
                      meta=("2022-07", "jinshui"))
    copy = Path(tasks.upload_dir()) / "test-upload.xlsx"
    copy.write_bytes(path.read_bytes())
    job = tasks.progress_import_enqueue(actor=users["jinshui"], path=str(copy), period_code="2022-07",
                                        unit_code="jinshui", dry_run=False, filename="f.xlsx", rows=2)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.done == job.total >= 2 and job.result["summary"]["created"] == 2
    assert ProgressReport.objects.count() == 2 and not copy.exists()
    entries = AuditEntry.objects.filter(request_id=job.pk)
    assert entries.exists() and {(e.source, e.actor_id) for e in entries} == {("job", users["jinshui"].pk)}


# -- the page ------------------------------------------------------------------

def test_a_running_job_polls_every_second_and_a_finished_one_stops(client_for, job):
    client = client_for("jinshui")
    jobs.job_start(job.pk)
    jobs.job_progress(job.pk, 3, 10, "正在校验")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and reverse("jobs:progress", args=[job.pk]) in page
    assert "30%" in page and "正在校验" in page
    jobs.job_fail(job.pk, "导入失败：文件损坏")
    partial = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "every 1s" not in partial and 'data-testid="job-failed"' in partial and "文件损坏" in partial


def test_only_the_creator_and_the_city_see_a_job(client_for, job):
    assert client_for("jinshui").get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    assert client_for("fgw").get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    for name in ("zhongyuan", "leader", "auditor"):
        assert client_for(name).get(reverse("jobs:detail", args=[job.pk])).status_code == 404
        assert client_for(name).get(reverse("jobs:progress", args=[job.pk])).status_code == 404
