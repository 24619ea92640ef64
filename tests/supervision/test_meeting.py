"""The weekly scheduling meeting (周例会, 二(二)6): agenda, Word download read back, CLI, decisions."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from tuijin.audit.context import audit_context
from tuijin.projects.models import ApprovalItem
from tuijin.reporting.models import Period, ProgressReport, SubmissionStatus, UnitMonthSummary
from tuijin.supervision import meetings
from tuijin.toolkit.errors import PermissionRefused
from tuijin.toolkit.money import wan_to_yuan

pytestmark = pytest.mark.django_db
WEEK = "2022-W23"  # Monday 6 June 2022


@pytest.fixture
def week_data(raise_problem, make_project, orgs, system_context, fake_sources):
    new = raise_problem("land", today=dt.date(2022, 6, 1), title="本周新问题")
    old = raise_problem("approvals", today=dt.date(2022, 5, 10), title="逾期问题")  # deadline 24 May
    before = raise_problem("land", today=dt.date(2022, 5, 25), title="上周以前的问题")  # not new, not overdue
    project = make_project("jinshui", tags=("city_key",), annual_plan_wan="12000")
    ApprovalItem.objects.create(project=project, code="eia", name="环境影响评价审批", department=orgs["sthjj"],
                                due_date=dt.date(2022, 6, 1))
    ApprovalItem.objects.create(project=project, code="land_title", name="土地供应", department=orgs["zrj"],
                                due_date=dt.date(2022, 6, 1), status="done")
    period = Period.objects.create(code="2022-05", year=2022, month=5, opens_on=dt.date(2022, 5, 1),
                                   deadline=dt.date(2022, 6, 8))
    ProgressReport.objects.create(unit=orgs["jinshui"], period=period, project=project,
                                  month_amount_yuan=wan_to_yuan("500"), ytd_amount_yuan=wan_to_yuan("2000"),
                                  status=SubmissionStatus.APPROVED)
    UnitMonthSummary.objects.create(unit=orgs["jinshui"], period=period, ytd_amount_yuan=wan_to_yuan("2000"))
    return {"new": new, "old": old, "before": before, "project": project}


def test_the_agenda_lists_new_and_overdue_problems_lagging_projects_approvals_and_stalled_deals(week_data, users):
    data = meetings.agenda(user=users["dcs"], week=WEEK)
    assert data["meeting_day"] == "2022-06-06"
    assert [p["title"] for p in data["new_problems"]] == ["本周新问题"]
    assert [p["title"] for p in data["overdue_problems"]] == ["逾期问题"]
    assert data["overdue_problems"][0]["department"] == "市政务办"
    assert data["lagging_period"] == "2022-05"
    assert [p["name"] for p in data["lagging_projects"]] == [week_data["project"].name]  # 2000/12000 < 5/12
    assert [(a["item"], a["days_overdue"]) for a in data["overdue_approvals"]] == [("环境影响评价审批", 5)]
    assert data["stalled_deals_available"] is True
    assert [d["key"] for d in data["stalled_deals"]] == ["deal-17", "deal-23"]


def test_without_a_stalled_deal_source_the_section_says_so(users, orgs, monkeypatch):
    from tuijin.supervision import sources

    # As when the promotion app is not installed: no module offers the "stalled_deal" kind.
    monkeypatch.setattr(sources, "source_modules", lambda: [])
    data = meetings.agenda(user=users["dcs"], week=WEEK)
    assert data["stalled_deals_available"] is False and data["stalled_deals"] == []


def test_only_city_roles_read_the_agenda(users):
    for name in ("jinshui", "gxj", "auditor"):
        with pytest.raises(PermissionRefused):
            meetings.agenda(user=users[name], week=WEEK)


def test_the_cli_writes_a_word_document_that_reads_back(week_data, users, tmp_path):
    from tuijin.supervision import services

    with audit_context(source="web", actor=users["dcs"]):
        services.meeting_record_decision(actor=users["dcs"], week=WEEK, org=week_data["old"].department,
                                         title="三个工作日内完成审批", today=dt.date(2022, 6, 6))
    target = tmp_path / "agenda.docx"
    out = io.StringIO()
    call_command("meeting_agenda", "--week", WEEK, "-o", str(target), "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["week"] == WEEK and body["decisions"][0]["title"] == "三个工作日内完成审批"
    document = Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "全市重大项目建设调度周例会议题（2022年第23周）" in text
    for heading in meetings.SECTION_TITLES:
        assert heading in text
    assert "1. 三个工作日内完成审批（责任单位：市政务办" in text
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"本周新问题", "逾期问题", "环境影响评价审批", week_data["project"].name,
            "某数据中心项目签约后未开工"} <= cells
    assert "上周以前的问题" not in cells


def test_the_cli_refuses_a_bad_week_and_a_bad_path(users, tmp_path):
    with pytest.raises(CommandError, match="YYYY-Www"):
        call_command("meeting_agenda", "--week", "2022-23", "-o", str(tmp_path / "a.docx"))
    with pytest.raises(CommandError, match=".docx"):
        call_command("meeting_agenda", "--week", WEEK, "-o", str(tmp_path / "a.pdf"))
    with pytest.raises(CommandError, match="没有第53周"):
        call_command("meeting_agenda", "--week", "2022-W53", "--json")
    assert not list(tmp_path.iterdir())


def test_the_cli_reads_in_the_scope_of_as_user(users, tmp_path):
    with pytest.raises(CommandError, match="只有市发展改革委、市领导和市政府督查室"):
        call_command("meeting_agenda", "--week", WEEK, "--json", "--as", "jinshui")
    with pytest.raises(CommandError, match="不存在"):
        call_command("meeting_agenda", "--week", WEEK, "--json", "--as", "nobody")
    out = io.StringIO()
    call_command("meeting_agenda", "--week", WEEK, "--json", "--as", "leader", stdout=out)
    assert json.loads(out.getvalue())["week"] == WEEK


def test_the_sync_cli_is_idempotent(fake_sources, orgs):
    first, second = io.StringIO(), io.StringIO()
    call_command("supervision_sync", "--today", "2022-06-01", "--json", stdout=first)
    call_command("supervision_sync", "--today", "2022-06-01", "--json", stdout=second)
    assert json.loads(first.getvalue())["total_created"] == 5
    assert json.loads(second.getvalue())["total_created"] == 0
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("supervision_sync", "--today", "1.6.2022")
