"""Faults (等保 8.1.4.6 数据完整性 / 8.1.4.10 软件容错; ASVS V11): a killed connection, a retried job,
two people saving the same project."""

from __future__ import annotations

import shutil

import pytest
from django.db import OperationalError, connection

from reporting import test_workflow as workflow
from reporting.import_fixtures import build_xlsx, data_row
from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.jobs.models import Job
from tuijin.reporting import importing
from tuijin.reporting.models import ProgressReport
from tuijin.reporting.tasks import progress_import_enqueue

building, clock = workflow.building, workflow.clock


def kill_own_connection() -> None:
    """What a crashed or restarted database server does to the import's session."""
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        dsn = {"dbname": s["NAME"], "host": s.get("HOST") or None, "port": s.get("PORT") or None,
               "user": s.get("USER") or None, "password": s.get("PASSWORD") or None}
        with psycopg.connect(**{k: v for k, v in dsn.items() if v}, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
    else:
        # SQLite has no server: the same error the driver raises on a lost connection.
        raise OperationalError("disk I/O error (simulated crash)")


@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_mid_import_leaves_nothing_and_the_job_fails(users, building, clock, tmp_path,
                                                                          monkeypatch):
    projects = [building() for _ in range(5)]
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code, amount=10) for p in projects],
                      meta=("2022-07", "jinshui"))
    original = importing._Writer.upsert
    killed = []

    def upsert_then_die(self, rows):
        original(self, rows)  # the rows are in the open transaction now
        killed.append(True)
        kill_own_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    monkeypatch.setattr(importing._Writer, "upsert", upsert_then_die)
    entries_before = AuditEntry.objects.filter(object_type__startswith="reporting.").count()
    upload = tmp_path / "upload.xlsx"
    shutil.copy(path, upload)
    with audit_context(source="web", actor=users["jinshui"]):
        job = progress_import_enqueue(actor=users["jinshui"], path=str(upload), period_code="2022-07",
                                      unit_code="jinshui", dry_run=False, filename="f.xlsx", rows=5)
    connection.close()  # whatever state the test's own connection was left in
    assert killed
    job = Job.objects.get(pk=job.pk)
    assert job.status == "failed" and "导入失败" in job.message
    assert ProgressReport.objects.count() == 0
    assert AuditEntry.objects.filter(object_type__startswith="reporting.").count() == entries_before

    # Retried after the crash (the database is back): everything is written exactly once.
    monkeypatch.setattr(importing._Writer, "upsert", original)
    shutil.copy(path, upload)
    with audit_context(source="web", actor=users["jinshui"]):
        again = progress_import_enqueue(actor=users["jinshui"], path=str(upload), period_code="2022-07",
                                        unit_code="jinshui", dry_run=False, filename="f.xlsx", rows=5)
    assert Job.objects.get(pk=again.pk).status == "succeeded"
    assert ProgressReport.objects.count() == 5


@pytest.mark.django_db
def test_a_retried_import_does_not_duplicate_rows(users, building, clock, tmp_path):
    projects = [building() for _ in range(4)]
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code, amount=10) for p in projects],
                      meta=("2022-07", "jinshui"))
    results = []
    for _ in range(2):  # e.g. the worker died after the commit, before it marked the job done
        with audit_context(source="job", actor=users["jinshui"]):
            results.append(importing.import_progress(actor=users["jinshui"], path=path, period_code="2022-07",
                                                     unit_code="jinshui"))
    assert ProgressReport.objects.count() == 4
    assert (results[0].created, results[1].created, results[1].unchanged) == (4, 0, 4)


@pytest.mark.django_db
def test_two_people_saving_the_same_project_one_wins_the_other_gets_409_with_the_current_values(
        users, make_project):
    from rest_framework.test import APIClient

    project = make_project("jinshui")
    city, unit = APIClient(), APIClient()
    city.force_login(users["fgw"])
    unit.force_login(users["jinshui"])
    seen_by_city = city.get(f"/api/v1/projects/{project.pk}/").json()["version"]
    seen_by_unit = unit.get(f"/api/v1/projects/{project.pk}/").json()["version"]
    first = city.patch(f"/api/v1/projects/{project.pk}/", {"name": "市里改的名字", "version": seen_by_city},
                       format="json")
    second = unit.patch(f"/api/v1/projects/{project.pk}/", {"name": "区里改的名字", "version": seen_by_unit},
                        format="json")
    assert first.status_code == 200 and second.status_code == 409
    assert second.json()["current"]["name"] == "市里改的名字"
    project.refresh_from_db()
    assert project.name == "市里改的名字"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_mid_bulletin_job_leaves_no_bulletin_and_the_job_fails(users, make_project, orgs,
                                                                                  monkeypatch, settings, tmp_path):
    from django.core.cache import cache
    from django.db.models.signals import post_save

    from tuijin.bulletins.models import Bulletin
    from tuijin.bulletins.tasks import bulletin_enqueue
    from web.figures import MONTH, YEAR, load

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    load(orgs, make_project)

    def dying(sender, instance, **kwargs):
        # After the bulletin row (and its audit entry) are in the open transaction.
        kill_own_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    post_save.connect(dying, sender=Bulletin, dispatch_uid="test-dying-bulletin")
    try:
        job = bulletin_enqueue(actor=users["fgw"], year=YEAR, month=MONTH, quarterly=False)
    finally:
        post_save.disconnect(dispatch_uid="test-dying-bulletin", sender=Bulletin)
    connection.close()
    job = Job.objects.get(pk=job.pk)
    assert job.status == "failed" and "生成失败" in job.message
    assert Bulletin.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="bulletins.bulletin").exists()
    cache.clear()


@pytest.fixture
def redis_down(monkeypatch):
    """The job queue is Redis, and Redis is down (nothing listens on port 1)."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import RedisStorage

    dead = RedisStorage("tuijin-test", url="redis://127.0.0.1:1/0")
    monkeypatch.setattr(HUEY, "immediate", False)
    monkeypatch.setattr(HUEY, "storage", dead)
    return dead


@pytest.mark.django_db(transaction=True)  # as in production: the job is queued at once, not on commit
def test_pages_work_and_jobs_fail_clearly_when_redis_is_down(users, client_for, building, clock, tmp_path,
                                                             settings, redis_down):
    settings.TUIJIN_ASYNC_IMPORT_ROWS = 1  # every import goes to the job queue
    client = client_for("jinshui")
    assert client.get("/projects/").status_code == 200
    assert client.get("/reporting/2022-07/jinshui/").status_code == 200
    projects = [building() for _ in range(2)]
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code) for p in projects], meta=("2022-07", "jinshui"))
    with path.open("rb") as fh:
        page = client.post("/reporting/2022-07/jinshui/upload/", {"file": fh})
    assert page.status_code == 503 and "后台任务服务暂时不可用" in page.content.decode()
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(users["jinshui"])
    with path.open("rb") as fh:
        response = api.post("/api/v1/progress/import/", {"file": fh, "period": "2022-07", "unit": "jinshui"},
                            format="multipart")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"
    assert ProgressReport.objects.count() == 0
    assert client.get("/projects/").status_code == 200
    assert set(Job.objects.values_list("status", flat=True)) == {"failed"}  # none left "queued"
