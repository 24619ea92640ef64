"""The bond evaluation of the hand-made 3-unit case through every door: CLI, API, page, export,
bulletin section, supervision source."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

EXPECTED = {
    "jinshui": ({"issuance_scale": "100.00", "submission_quality": "75.00", "spending_progress": "80.00",
                 "compliance": "100.00"}, "89.00", 1, False),
    "zhongyuan": ({"issuance_scale": "50.00", "submission_quality": "100.00", "spending_progress": "100.00",
                   "compliance": "75.00"}, "80.00", 2, False),
    "erqi": ({"issuance_scale": "20.00", "submission_quality": "0.00", "spending_progress": "20.00",
              "compliance": "25.00"}, "17.00", 3, True),
}


def check(results: list[dict]) -> None:
    assert [r["org"] for r in results] == ["jinshui", "zhongyuan", "erqi"]
    for r in results:
        scores, total, rank, talk = EXPECTED[r["org"]]
        assert r["scores"] == scores
        assert (r["total"], r["rank"], r["talk"]) == (total, rank, talk)


def test_cli_json_gives_each_sub_score_and_the_weighted_total(bond_case):
    out = io.StringIO()
    call_command("bond_evaluation", "--year", "2022", "--month", "6", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["clause"] == "二(二)8" and body["plan_hash"]
    check(body["results"])
    jinshui = body["results"][0]
    assert (jinshui["issued"], jinshui["spent"], jinshui["reviewed"], jinshui["passed"]) == (
        "100000.0000", "40000.0000", 4, 3)


def test_cli_table_lists_the_talk_list(bond_case):
    out = io.StringIO()
    call_command("bond_evaluation", "--year", "2022", "--month", "6", stdout=out)
    text = out.getvalue()
    assert "约谈名单（不担当、不作为）：二七区" in text
    assert "89.00" in text


def test_cli_refuses_a_bad_month(bond_case):
    with pytest.raises(CommandError, match="月份应为1–12"):
        call_command("bond_evaluation", "--year", "2022", "--month", "13")


def test_api_evaluation_for_a_unit_user_shows_the_ranking(bond_case, client_for):
    response = client_for("jinshui").get("/api/v1/bonds/evaluation/?year=2022&month=6")
    assert response.status_code == 200
    check(response.json()["results"])


def test_api_evaluation_refuses_administrators(bond_case, client_for):
    assert client_for("auditor").get("/api/v1/bonds/evaluation/?year=2022&month=6").status_code == 403


def test_page_shows_the_ranking_and_talk_list(bond_case, client_for):
    response = client_for("fgw").get("/bonds/?year=2022&month=6")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="total-erqi">17.00<' in html
    assert "二七区（17.00）" in html


def test_page_runs_a_bounded_number_of_queries(bond_case, client_for, django_assert_max_num_queries, make_project):
    client = client_for("fgw")
    client.get("/bonds/?year=2022&month=6")
    with django_assert_max_num_queries(30):
        assert client.get("/bonds/?year=2022&month=6").status_code == 200


def test_export_is_a_real_workbook(bond_case, client_for):
    response = client_for("fgw").get("/bonds/export.xlsx?year=2022&month=6")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ranking = list(book["评价排名"].iter_rows(values_only=True))
    assert ranking[0][:2] == ("名次", "单位")
    assert [r[1] for r in ranking[1:]] == ["金水区", "中原区", "二七区"]
    assert ranking[3][-2:] == (17.0, "是")
    projects = list(book["专项债券项目"].iter_rows(values_only=True))
    assert len(projects) == 4


def test_bulletin_section_has_the_ranking_table(bond_case):
    from tuijin.bonds.bulletin_sections import bulletin_sections

    sections = bulletin_sections(year=2022, month=6, quarterly=False)
    assert len(sections) == 1
    section = sections[0]
    assert section["title"] == "专项债券工作评价（2022年6月）"
    table = section["tables"][0]
    assert table["headers"][0] == "名次" and table["headers"][-1] == "综合得分"
    assert [row[1] for row in table["rows"]] == ["金水区", "中原区", "二七区"]
    assert table["rows"][0][-1] == 89.0
    assert any("二七区" in p and "约谈" in p for p in section["paragraphs"])
    assert bulletin_sections(year=2021, month=6, quarterly=False) == []


def test_supervision_source_gives_one_talk_per_unit_below_the_threshold(bond_case, orgs):
    from tuijin.bonds.supervision_sources import supervision_sources

    sources = supervision_sources()
    assert set(sources) == {"bond_talk"}
    candidates = sources["bond_talk"](dt.date(2022, 6, 30))
    assert [c["key"] for c in candidates] == ["2022-06:erqi"]
    c = candidates[0]
    assert c["org"] == orgs["erqi"]
    assert "17.00" in c["title"] and "约谈" in c["title"]
    assert c["measure"] and c["link"].startswith("/bonds/") and c["deadline_days"] == 15
