"""The cross-app contracts: supervision sources (issue 8) and bulletin sections (bulletins)."""

from __future__ import annotations

import datetime as dt

import pytest

from tuijin.audit.context import audit_context
from tuijin.programmes.bulletin_sections import bulletin_sections
from tuijin.programmes.supervision_sources import supervision_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def facts(make_project, orgs, approved_report):
    from tuijin.projects.models import ApprovalItem

    missing = make_project("jinshui", actual_start=dt.date(2022, 3, 1), stage="construction", tags=("city_key",),
                           planned_start=dt.date(2022, 2, 1))
    missing.departments.set([orgs["gxj"]])
    make_project("zhongyuan", actual_start=dt.date(2022, 3, 1), stage="construction", in_statistics=True)
    approved_report(missing, ytd_wan="400")
    with audit_context(source="system"):
        item = ApprovalItem.objects.create(project=missing, code="eia", name="环境影响评价审批",
                                           department=orgs["sthjj"], due_date=dt.date(2022, 6, 1))
        orphan = ApprovalItem.objects.create(project=missing, code="x", name="其他事项", due_date=dt.date(2022, 6, 2))
        ApprovalItem.objects.create(project=missing, code="y", name="已办", due_date=dt.date(2022, 5, 1),
                                    status="done")
    return {"missing": missing, "item": item, "orphan": orphan}


def test_supervision_sources_give_one_candidate_per_missing_project_and_overdue_item(facts, orgs):
    sources = supervision_sources()
    assert set(sources) == {"missing_from_statistics", "overdue_approval"}
    missing = sources["missing_from_statistics"](dt.date(2022, 6, 30))
    assert [c["key"] for c in missing] == [f"project-{facts['missing'].pk}"]
    assert missing[0]["org"] == orgs["jinshui"] and "应入未入" in missing[0]["title"]
    assert missing[0]["link"] == f"/projects/{facts['missing'].pk}/" and missing[0]["deadline_days"] == 30
    assert sources["missing_from_statistics"](dt.date(2022, 2, 28)) == []  # not yet started then
    overdue = {c["key"]: c for c in sources["overdue_approval"](dt.date(2022, 6, 30))}
    # one a month per approving organisation: the department, else the project's unit
    assert set(overdue) == {"sthjj:2022-06", "jinshui:2022-06"}
    assert overdue["sthjj:2022-06"]["org"] == orgs["sthjj"] and overdue["jinshui:2022-06"]["org"] == orgs["jinshui"]
    assert "逾期未办结1项" in overdue["sthjj:2022-06"]["title"]
    assert "最长已逾期29天" in overdue["sthjj:2022-06"]["measure"]
    assert "环境影响评价审批" in overdue["sthjj:2022-06"]["measure"]
    assert {c["key"] for c in sources["overdue_approval"](dt.date(2022, 7, 1))} == {"sthjj:2022-07", "jinshui:2022-07"}
    assert sources["overdue_approval"](dt.date(2022, 6, 1)) == []  # due that day: not yet overdue


def _check_shape(section):
    assert set(section) == {"order", "title", "paragraphs", "tables"}
    for table in section["tables"]:
        assert all(len(row) == len(table["headers"]) for row in table["rows"])


def test_the_quarterly_bulletin_has_the_inclusion_section_with_the_missing_units(facts):
    sections = bulletin_sections(year=2022, month=6, quarterly=True)
    titles = [s["title"] for s in sections]
    assert titles == ["重点项目推进情况（“8946”计划）", "固定资产投资项目入库纳统情况"]
    for section in sections:
        _check_shape(section)
    inclusion = sections[1]
    assert "应入未入项目1个" in inclusion["paragraphs"][0]
    assert "金水区" in inclusion["paragraphs"][1] and "暂缓下达" in inclusion["paragraphs"][1]
    listed = inclusion["tables"][2]["rows"]
    assert listed[0][:2] == ["金水区", facts["missing"].name] and listed[0][3] == "市工信局"
    by_unit = {row[0]: row for row in inclusion["tables"][0]["rows"]}
    assert by_unit["金水区"][1:4] == [1, 0, 1] and by_unit["中原区"][1:4] == [1, 1, 0]


def test_a_monthly_bulletin_has_the_key_project_rates_only(facts):
    sections = bulletin_sections(year=2022, month=5, quarterly=False)
    assert [s["order"] for s in sections] == [300]
    rates = sections[0]
    assert "重点项目1个" in rates["paragraphs"][0]
    row = next(r for r in rates["tables"][0]["rows"] if r[0] == "金水区")
    assert row[1] == 1 and row[4] == "100.00%"  # started in March of the one planned


def test_no_key_projects_no_rates_section(db, orgs):
    assert bulletin_sections(year=2022, month=5, quarterly=False) == []
