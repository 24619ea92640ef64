"""The doors onto bulletins: the page's background job (huey immediate in tests), the downloads and who may
have them, and the `tuijin bulletin` command."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tuijin.audit.models import AuditEntry
from tuijin.bulletins.models import Bulletin
from tuijin.jobs.models import Job
from tuijin.plan import plan_for
from web.figures import MONTH, YEAR

pytestmark = pytest.mark.django_db
PERIOD = f"{YEAR}-{MONTH:02d}"


@pytest.fixture
def generated(client_for, figures):
    client = client_for("fgw")
    response = client.post(reverse("bulletins:generate"), {"period": PERIOD})
    job = Job.objects.get(kind="bulletin")
    assert response.status_code == 302 and response["Location"] == reverse("bulletins:job", args=[job.pk])
    return client, job


def test_the_page_generates_a_bulletin_in_the_background_and_keeps_it_with_the_plan_hash(generated, settings):
    client, job = generated
    assert job.status == "succeeded" and job.done == job.total == 5 and job.message == "通报已生成"
    bulletin = Bulletin.objects.get()
    assert (bulletin.kind, bulletin.year, bulletin.month) == ("monthly", YEAR, MONTH)
    assert bulletin.plan_hash == plan_for(2022).hash and bulletin.job_id == job.pk
    assert bulletin.created_by.username == "fgw"
    assert bulletin.docx_file.startswith("bulletins/") and (settings.MEDIA_ROOT / bulletin.docx_file).is_file()
    assert job.result["bulletin"] == bulletin.pk
    page = client.get(reverse("bulletins:job", args=[job.pk])).content.decode()
    assert reverse("bulletins:download", args=[bulletin.pk, "docx"]) in page
    entry = AuditEntry.objects.get(object_type="bulletins.bulletin")
    assert (entry.source, entry.actor_name, str(entry.request_id)) == ("job", "fgw", str(job.pk))


def test_the_downloads_are_the_word_and_excel_files(generated):
    client, _ = generated
    bulletin = Bulletin.objects.get()
    response = client.get(reverse("bulletins:download", args=[bulletin.pk, "docx"]))
    assert response.status_code == 200 and "wordprocessingml" in response["Content-Type"]
    assert "attachment" in response["Content-Disposition"]
    import io

    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert document.paragraphs[0].text == "郑州市扩大有效投资工作通报"
    response = client.get(reverse("bulletins:download", args=[bulletin.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "排名" in book.sheetnames
    assert client.get(reverse("bulletins:download", args=[bulletin.pk, "pdf"])).status_code == 404


def test_a_leader_reads_bulletins_but_a_unit_gets_404(generated, client_for):
    bulletin = Bulletin.objects.get()
    url = reverse("bulletins:download", args=[bulletin.pk, "docx"])
    assert client_for("leader").get(url).status_code == 200
    assert client_for("leader").get(reverse("bulletins:list")).status_code == 200
    for name in ("jinshui", "zhongyuan", "auditor"):
        assert client_for(name).get(url).status_code == 404
        assert client_for(name).get(reverse("bulletins:list")).status_code == 404


def test_only_the_city_administrator_may_start_a_bulletin(client_for, figures):
    assert client_for("leader").post(reverse("bulletins:generate"), {"period": PERIOD}).status_code == 403
    assert client_for("jinshui").post(reverse("bulletins:generate"), {"period": PERIOD}).status_code == 404
    assert not Job.objects.exists()


def test_a_period_without_statistics_fails_the_job_with_a_chinese_message(client_for, figures):
    client_for("fgw").post(reverse("bulletins:generate"), {"period": "2022-02"})
    job = Job.objects.get()
    assert job.status == "failed" and "尚无统计部门发布" in job.message
    assert not Bulletin.objects.exists()
    assert client_for("fgw").post(reverse("bulletins:generate"), {"period": "2022-13"}).status_code == 400


def test_the_list_page_shows_the_form_and_the_bulletins(generated):
    client, _ = generated
    html = client.get(reverse("bulletins:list")).content.decode()
    assert 'data-testid="generate-form"' in html and f'value="{PERIOD}"' in html
    assert plan_for(2022).hash[:12] in html


def test_the_command_writes_both_files_and_keeps_the_bulletin(figures, tmp_path, capsys):
    docx, xlsx = tmp_path / "out" / "通报.docx", tmp_path / "out" / "通报.xlsx"
    call_command("bulletin", "--period", PERIOD, "-o", str(docx), "--xlsx", str(xlsx), "--quarterly",
                 "--date", "2022-07-15", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["kind"] == "quarterly" and result["period"] == PERIOD and result["output"] == str(docx)
    document = Document(str(docx))
    assert "2022年7月15日" in "\n".join(p.text for p in document.paragraphs)
    assert "综合评价" in load_workbook(str(xlsx)).sheetnames
    bulletin = Bulletin.objects.get(pk=result["bulletin"])
    assert bulletin.plan_hash == plan_for(2022).hash and bulletin.created_by is None
    assert AuditEntry.objects.filter(object_type="bulletins.bulletin", source="cli").count() == 1


def test_the_command_refuses_bad_input_in_chinese(figures, tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("bulletin", "--period", "2022/06", "-o", str(tmp_path / "a.docx"))
    with pytest.raises(CommandError, match=r"\.docx"):
        call_command("bulletin", "--period", PERIOD, "-o", str(tmp_path / "a.pdf"))
    with pytest.raises(CommandError, match="季末月份"):
        call_command("bulletin", "--period", "2022-05", "-o", str(tmp_path / "a.docx"), "--quarterly")
