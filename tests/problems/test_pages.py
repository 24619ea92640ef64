"""Pages of the problem ledger: scope (404), Chinese, steps, attachments, bounded queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_user_their_scope_in_chinese(raise_problem, client_for, make_project, dept_user):
    land = raise_problem("land", title="金水用地问题")
    raise_problem("utilities", by="zhongyuan", project=make_project("zhongyuan"), title="中原供电问题")
    page = client_for("jinshui").get("/problems/")
    text = page.content.decode()
    assert page.status_code == 200 and "问题台账" in text and "金水用地问题" in text and "中原供电问题" not in text
    gxj = client_for("gxj").get("/problems/").content.decode()
    assert "中原供电问题" in gxj and "金水用地问题" not in gxj
    assert client_for("gxj").get(f"/problems/{land.pk}/").status_code == 404
    assert client_for("zhongyuan").get(f"/problems/{land.pk}/").status_code == 404
    assert client_for("auditor").get("/problems/").status_code == 403
    assert "金水用地问题" in client_for("dcs").get("/problems/?overdue=").content.decode()


def test_the_department_and_the_raiser_act_on_the_page(raise_problem, client_for, users):
    problem = raise_problem("utilities")
    gxj = client_for("gxj")
    detail = gxj.get(f"/problems/{problem.pk}/").content.decode()
    assert 'data-action="accept"' in detail and 'data-action="close"' not in detail
    gxj.post(f"/problems/{problem.pk}/act/", {"action": "accept"})
    response = gxj.post(f"/problems/{problem.pk}/act/", {"action": "resolve", "note": ""}, follow=True)
    assert "请填写处理意见" in response.content.decode()
    gxj.post(f"/problems/{problem.pk}/act/", {"action": "resolve", "note": "已协调"})
    unit = client_for("jinshui")
    assert 'data-action="close"' in unit.get(f"/problems/{problem.pk}/").content.decode()
    unit.post(f"/problems/{problem.pk}/act/", {"action": "close"})
    problem.refresh_from_db()
    assert problem.status == "closed"


def test_raising_on_the_page_names_a_bad_field(client_for, make_project):
    project = make_project("jinshui")
    client = client_for("jinshui")
    assert "用地保障" in client.get("/problems/new/").content.decode()
    bad = client.post("/problems/new/", {"project": project.pk, "category": "", "title": "x"})
    assert bad.status_code == 400 and "问题类别" in bad.content.decode()
    good = client.post("/problems/new/", {"project": project.pk, "category": "land", "title": "用地问题"})
    assert good.status_code == 302
    assert client_for("leader").get("/problems/new/").status_code == 403


def test_attachments_upload_and_download_within_scope(raise_problem, client_for, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    problem = raise_problem("land")
    client = client_for("jinshui")
    client.post(f"/problems/{problem.pk}/attach/", {"file": SimpleUploadedFile("图.pdf", b"%PDF-1.7 x")})
    bad = client.post(f"/problems/{problem.pk}/attach/", {"file": SimpleUploadedFile("a.pdf", b"<html>")},
                      follow=True)
    assert "类型不受支持" in bad.content.decode()
    attachment = problem.attachments.get()
    response = client.get(f"/problems/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7 x"
    assert client_for("zhongyuan").get(f"/problems/attachments/{attachment.pk}/").status_code == 404


def test_the_list_and_stats_run_a_bounded_number_of_queries(raise_problem, client_for, django_assert_max_num_queries):
    for category in ("land", "funds", "utilities", "other") * 4:
        raise_problem(category)
    client = client_for("fgw")
    with django_assert_max_num_queries(14):
        assert client.get("/problems/").status_code == 200
    with django_assert_max_num_queries(14):
        page = client.get("/problems/stats/")
    text = page.content.decode()
    assert "市资源规划局" in text and 'id="problem-chart-data"' in text and "<script>" not in text
