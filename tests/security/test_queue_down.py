"""Redis down while a job is being queued (issue 9 item 7): no job row is left "queued" for ever.

Each enqueue path — the progress import (page and API), the incentives scan (page and API), the bulletin
(page) — creates a Job and then queues its task; here huey's enqueue raises redis' ConnectionError. The job
must end "failed" with a Chinese message saying the queue could not be reached, and the door must answer
clearly: 503 with ``code: unavailable`` from the API, a page saying the job service is unavailable.
"""

from __future__ import annotations

import pytest
from huey.contrib.djhuey import HUEY
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.test import APIClient

from reporting import test_workflow as workflow
from reporting.import_fixtures import build_xlsx, data_row
from tuijin.jobs.models import Job, JobStatus
from tuijin.jobs.services import QUEUE_DOWN_MESSAGE
from tuijin.reporting.models import ProgressReport

building, clock = workflow.building, workflow.clock

pytestmark = pytest.mark.django_db(transaction=True)  # as in production: queued at once, not in a test transaction


@pytest.fixture
def enqueue_fails(monkeypatch) -> list[str]:
    """huey's enqueue cannot reach Redis; returns the names of the tasks it was asked to queue."""
    asked: list[str] = []

    def refuse(task):
        asked.append(task.name)
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(HUEY, "immediate", False)
    monkeypatch.setattr(HUEY, "enqueue", refuse)
    return asked


def only_failed_jobs(kind: str, count: int) -> None:
    jobs = list(Job.objects.filter(kind=kind))
    assert len(jobs) == count
    for job in jobs:
        assert job.status == JobStatus.FAILED and job.message == QUEUE_DOWN_MESSAGE and job.finished_at is not None
    assert not Job.objects.filter(status=JobStatus.QUEUED).exists()


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_progress_import_page_and_api(users, client_for, building, clock, tmp_path, settings, enqueue_fails):
    settings.TUIJIN_ASYNC_IMPORT_ROWS = 1  # every import goes to the job queue
    projects = [building() for _ in range(2)]
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code) for p in projects], meta=("2022-07", "jinshui"))
    client = client_for("jinshui")
    with path.open("rb") as fh:
        page = client.post("/reporting/2022-07/jinshui/upload/", {"file": fh})
    assert page.status_code == 503 and "后台任务服务暂时不可用" in page.content.decode()
    with path.open("rb") as fh:
        response = api_for(users["jinshui"]).post(
            "/api/v1/progress/import/", {"file": fh, "period": "2022-07", "unit": "jinshui"}, format="multipart")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"
    assert "后台任务服务暂时不可用" in response.json()["detail"]
    assert len(enqueue_fails) == 2
    only_failed_jobs("progress_import", 2)
    assert ProgressReport.objects.count() == 0


def test_incentives_scan_page_and_api(users, client_for, enqueue_fails):
    response = api_for(users["fgw"]).post("/api/v1/incentives/scan/", {"year": 2022}, format="json")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"
    page = client_for("fgw").post("/incentives/scan/", {"year": 2022})
    assert page.status_code == 503 and "后台任务服务暂时不可用" in page.content.decode()
    assert len(enqueue_fails) == 2
    only_failed_jobs("incentives_scan", 2)


def test_bulletin_page(users, client_for, enqueue_fails):
    page = client_for("fgw").post("/bulletins/generate/", {"period": "2022-07"})
    assert page.status_code == 503 and "后台任务服务暂时不可用" in page.content.decode()
    assert len(enqueue_fails) == 1
    only_failed_jobs("bulletin", 1)


def test_a_job_failed_for_the_queue_shows_why_on_its_page_and_in_the_api(users, client_for, enqueue_fails):
    api_for(users["fgw"]).post("/api/v1/incentives/scan/", {"year": 2022}, format="json")
    job = Job.objects.get()
    shown = api_for(users["fgw"]).get(f"/api/v1/jobs/{job.pk}/")
    assert shown.status_code == 200 and shown.json()["status"] == "failed"
    assert shown.json()["message"] == QUEUE_DOWN_MESSAGE
    assert QUEUE_DOWN_MESSAGE in client_for("fgw").get(f"/jobs/{job.pk}/").content.decode()
