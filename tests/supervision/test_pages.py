"""Pages of supervision and the weekly meeting."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from tuijin.audit.context import audit_context
from tuijin.supervision import services
from tuijin.supervision.models import SupervisionTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(users, orgs):
    with audit_context(source="web", actor=users["dcs"]):
        return services.task_create(actor=users["dcs"], org=orgs["jinshui"], title="加快某项目开工",
                                    deadline=dt.date(2099, 1, 1), today=dt.date(2022, 6, 1))


def test_the_task_list_is_scoped_and_bounded(task, users, orgs, client_for, django_assert_max_num_queries):
    with audit_context(source="web", actor=users["dcs"]):
        for i in range(10):
            services.task_create(actor=users["dcs"], org=orgs["zhongyuan"], title=f"中原任务{i}",
                                 deadline=dt.date(2022, 6, 2), today=dt.date(2022, 6, 1))
    dcs = client_for("dcs")
    with django_assert_max_num_queries(10):
        page = dcs.get("/supervision/?tab=all")
    assert "中原任务9" in page.content.decode() and "多次逾期" in page.content.decode()
    unit = client_for("jinshui").get("/supervision/?tab=all").content.decode()
    assert "加快某项目开工" in unit and "中原任务" not in unit
    assert client_for("zhongyuan").get(f"/supervision/{task.pk}/").status_code == 404
    assert client_for("auditor").get("/supervision/").status_code == 403


def test_the_unit_follows_up_and_closes_with_evidence_on_the_page(task, client_for, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    unit = client_for("jinshui")
    unit.post(f"/supervision/{task.pk}/follow-up/", {"note": "已完成施工图审查"})
    refused = unit.post(f"/supervision/{task.pk}/close/", {"evidence": ""}, follow=True)
    assert "请填写办结佐证材料说明" in refused.content.decode()
    unit.post(f"/supervision/{task.pk}/close/", {"evidence": "已开工", "file": SimpleUploadedFile("照片.png",
                                                                                              b"\x89PNG\r\n\x1a\nxx")})
    task.refresh_from_db()
    assert task.status == "closed" and task.follow_ups.count() == 1
    response = unit.get(f"/supervision/{task.pk}/evidence/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_the_office_creates_syncs_and_extends(users, client_for):
    dcs = client_for("dcs")
    assert dcs.post("/supervision/new/", {"org": "", "title": "x"}).status_code == 400
    response = dcs.post("/supervision/new/", {"org": "gxj", "title": "协调电力增容", "deadline": "2099-01-01"})
    assert response.status_code == 302
    task = SupervisionTask.objects.get()
    dcs.post(f"/supervision/{task.pk}/extend/", {"deadline": "2099-02-01", "reason": "待省电力公司批复"})
    task.refresh_from_db()
    assert task.extensions == 1 and task.deadline == dt.date(2099, 2, 1)
    assert dcs.post("/supervision/sync/").status_code == 302
    assert client_for("jinshui").post("/supervision/sync/").status_code == 403
    assert client_for("jinshui").get("/supervision/new/").status_code == 403


def test_the_meeting_page_download_and_decision(raise_problem, users, client_for, orgs):
    raise_problem("land", today=dt.date(2022, 6, 2), title="用地指标问题")
    dcs = client_for("dcs")
    page = dcs.get("/supervision/meeting/?week=2022-W23")
    assert page.status_code == 200 and "用地指标问题" in page.content.decode()
    dcs.post("/supervision/meeting/decision/", {"week": "2022-W23", "org": "zrj", "title": "一周内完成用地预审"})
    assert SupervisionTask.objects.get(kind="meeting").org.code == "zrj"
    response = dcs.get("/supervision/meeting/2022-W23.docx")
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "一周内完成用地预审" in text and "2022年第23周" in text
    assert dcs.get("/supervision/meeting/?week=bad").status_code == 400
    assert client_for("jinshui").get("/supervision/meeting/?week=2022-W23").status_code == 403
