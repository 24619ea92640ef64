"""The cadence of 二(四)11: the weekly report for a fixed week (CLI, API, page, Word, Excel), the
monthly review of stalled deals, the quarterly bulletin section, the supervision source."""

from __future__ import annotations

import datetime as dt
import io
import json

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

D = dt.date


@pytest.fixture
def week_case(make_deal):
    """Moves around 2022-W23 (Monday 6 June – Sunday 12 June 2022)."""
    return {
        "a": make_deal("jinshui", amount_yi=120, name="甲：百亿级电子信息项目", dates=[D(2022, 5, 1), D(2022, 6, 7)]),
        "b": make_deal("zhongyuan", amount_yi=8, leading_industry="modern_food", name="乙：食品项目",
                       dates=[D(2022, 1, 10), D(2022, 3, 1), D(2022, 6, 12)]),
        "c": make_deal("jinshui", amount_yi=40, name="丙：新登记在谈", dates=[D(2022, 6, 6)]),
        "d": make_deal("erqi", amount_yi=15, name="丁：下周签约", dates=[D(2022, 5, 1), D(2022, 6, 13)]),
        "e": make_deal("erqi", amount_yi=6, leading_industry="", name="戊：上周签约", dates=[D(2022, 5, 1), D(2022, 6, 5)]),
    }


def weekly(*args: str) -> dict:
    out = io.StringIO()
    call_command("promotion_weekly", "--week", "2022-W23", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_weekly_report_contents_for_a_fixed_week(week_case):
    body = weekly()
    assert (body["week"], body["start"], body["end"]) == ("2022-W23", "2022-06-06", "2022-06-12")
    assert [(m["date"], m["deal"], m["from"], m["to"]) for m in body["moves"]] == [
        ("2022-06-07", "甲：百亿级电子信息项目", "在谈", "签约"),
        ("2022-06-12", "乙：食品项目", "签约", "注册"),
    ]
    assert body["counts"] == {"signed": 1, "registered": 1, "started": 0, "producing": 0}
    assert body["new_deals"] == 1
    assert (body["signed_count"], body["signed_amount_yi"]) == (1, "120.0000")
    # Signed in 2022 up to Sunday: 甲, 乙 and 戊 (丁 signs the week after).
    assert (body["year_signed_count"], body["year_signed_amount_yi"]) == (3, "134.0000")


def test_weekly_report_in_a_units_scope(week_case):
    body = weekly("--as", "jinshui")
    assert [m["deal"] for m in body["moves"]] == ["甲：百亿级电子信息项目"]
    assert body["new_deals"] == 1 and body["year_signed_count"] == 1


def test_weekly_report_for_another_unit_is_refused_in_the_cli(week_case):
    with pytest.raises(CommandError, match="不在您的查看范围内"):
        weekly("--as", "jinshui", "--unit", "zhongyuan")


def test_weekly_text_and_files(week_case, tmp_path):
    out = io.StringIO()
    path = tmp_path / "w.docx"
    call_command("promotion_weekly", "--week", "2022-W23", "-o", str(path), stdout=out)
    assert "全市招商项目推进2次：签约1个，注册1个，开工0个，投产0个；新登记在谈项目1个。" in out.getvalue()
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == "招商引资工作周报告（2022-W23）"
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells][:3] == ["2022-06-07", "金水区", "甲：百亿级电子信息项目"]
    assert len(table.rows) == 3


def test_weekly_page_and_downloads(week_case, client_for):
    client = client_for("fgw")
    page = client.get("/promotion/weekly/?week=2022-W23")
    assert page.status_code == 200 and "乙：食品项目" in page.content.decode()
    xlsx = client.get("/promotion/weekly.xlsx?week=2022-W23")
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content))["周报告"].iter_rows(values_only=True))
    assert rows[3][:3] == ("日期", "单位", "项目名称")
    assert rows[4][2] == "甲：百亿级电子信息项目" and rows[4][4] == 120.0
    word = client.get("/promotion/weekly.docx?week=2022-W23")
    assert word.status_code == 200
    assert docx.Document(io.BytesIO(word.content)).tables[0].rows[2].cells[2].text == "乙：食品项目"
    bad = client_for("fgw").get("/api/v1/promotion/weekly/?week=2022-23")
    assert bad.status_code == 400 and "周次应为" in bad.json()["detail"]


def test_stalled_deal_detection(make_deal):
    as_of = D(2022, 7, 1)
    make_deal("jinshui", name="签约满30天", dates=[D(2022, 5, 1), as_of - dt.timedelta(days=30)])
    make_deal("jinshui", name="签约29天", dates=[D(2022, 5, 1), as_of - dt.timedelta(days=29)])
    make_deal("zhongyuan", name="开工后停滞", dates=[D(2022, 1, 1), D(2022, 2, 1), D(2022, 3, 1), D(2022, 4, 1)])
    make_deal("zhongyuan", name="已投产", dates=[D(2022, 1, 1), D(2022, 2, 1), D(2022, 3, 1), D(2022, 4, 1),
                                               D(2022, 5, 1)])
    make_deal("erqi", name="久谈未签", dates=[D(2022, 1, 1)])
    out = io.StringIO()
    call_command("stalled_deals", "--as-of", "2022-07-01", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["stalled_after_days"] == 30
    assert [(r["deal"], r["days"], r["stage_name"]) for r in body["results"]] == [
        ("开工后停滞", 91, "开工"), ("签约满30天", 30, "签约")]
    out = io.StringIO()
    call_command("stalled_deals", "--as-of", "2022-07-01", "--as", "jinshui", "--json", stdout=out)
    assert [r["deal"] for r in json.loads(out.getvalue())["results"]] == ["签约满30天"]
    with pytest.raises(CommandError, match="日期格式"):
        call_command("stalled_deals", "--as-of", "2022-13-01")


def test_stalled_page_and_api(make_deal, client_for):
    make_deal("zhongyuan", name="中原停滞", dates=[D(2022, 1, 1), D(2022, 2, 1)])
    api = client_for("fgw").get("/api/v1/promotion/stalled/?as_of=2022-07-01").json()
    assert [r["deal"] for r in api["results"]] == ["中原停滞"]
    assert client_for("jinshui").get("/api/v1/promotion/stalled/?as_of=2022-07-01").json()["results"] == []
    page = client_for("fgw").get("/promotion/stalled/?as_of=2022-07-01")
    assert "中原停滞" in page.content.decode()


def test_supervision_source_gives_one_task_per_stalled_deal(make_deal, orgs):
    from tuijin.promotion.supervision_sources import supervision_sources

    deal = make_deal("zhongyuan", amount_yi=35, name="中原停滞", dates=[D(2022, 1, 1), D(2022, 2, 1)])
    make_deal("jinshui", name="刚签约", dates=[D(2022, 6, 1), D(2022, 6, 25)])
    sources = supervision_sources()
    assert set(sources) == {"stalled_deal"}
    candidates = sources["stalled_deal"](D(2022, 7, 1))
    assert len(candidates) == 1
    c = candidates[0]
    assert c["key"] == f"{deal.pk}:2022-02-01" and c["org"] == orgs["zhongyuan"]
    assert "中原停滞" in c["title"] and "150天无进展" in c["title"]
    assert c["link"] == f"/promotion/deals/{deal.pk}/" and c["measure"] and c["deadline_days"] == 10


def test_quarterly_bulletin_section_has_tiers_against_targets(make_deal):
    from tuijin.promotion.bulletin_sections import bulletin_sections

    make_deal("jinshui", amount_yi=100, dates=[D(2022, 1, 5), D(2022, 2, 1)])
    make_deal("zhongyuan", amount_yi=7, leading_industry="new_materials", dates=[D(2022, 1, 5), D(2022, 3, 31)])
    make_deal("zhongyuan", amount_yi=50, dates=[D(2022, 1, 5), D(2022, 4, 1)])  # next quarter
    assert bulletin_sections(year=2022, month=3, quarterly=False) == []
    [section] = bulletin_sections(year=2022, month=3, quarterly=True)
    assert section["title"] == "招商引资推进情况（2022年第1季度）"
    table = section["tables"][0]
    assert table["headers"][:5] == ["单位", "百亿级头部企业项目", "30亿元以上项目", "10亿元以上项目",
                                    "5亿元以上主导产业链项目"]
    rows = {r[0]: r for r in table["rows"]}
    assert rows["金水区"][1:5] == [1, 0, 0, 0]
    assert rows["中原区"][1:5] == [0, 0, 0, 1]
    assert rows["郑州市"][1:8] == [1, 0, 0, 1, 2, "107.00", 0]
    assert rows["目标"][1:5] == [16, 8, 24, 56]
    assert "签约金额107.00亿元（目标6500亿元，完成目标的1.6%）" in section["paragraphs"][0]


def test_weekly_and_stalled_pages_run_a_bounded_number_of_queries(make_deal, client_for,
                                                                  django_assert_max_num_queries):
    for i in range(15):
        make_deal("jinshui" if i % 2 else "zhongyuan", amount_yi=5 + i,
                  dates=[D(2022, 1, 5), D(2022, 2, 1), D(2022, 6, 6 + i % 7)])
    client = client_for("fgw")
    with django_assert_max_num_queries(20):
        assert client.get("/promotion/weekly/?week=2022-W23").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/promotion/stalled/?as_of=2022-07-20").status_code == 200


def test_stalled_deals_are_computed_at_the_business_date(make_deal, client_for, business_date):
    make_deal("zhongyuan", name="中原停滞", dates=[D(2022, 5, 1), D(2022, 6, 1)])  # signed on 1 June
    business_date("2022-06-20")
    page = client_for("fgw").get("/promotion/stalled/")
    assert page.context["as_of"] == D(2022, 6, 20) and "中原停滞" not in page.content.decode()
    business_date("2022-07-15")
    assert "中原停滞" in client_for("fgw").get("/promotion/stalled/").content.decode()
    out = io.StringIO()
    call_command("stalled_deals", "--json", stdout=out)
    assert json.loads(out.getvalue())["as_of"] == "2022-07-15"


def test_a_2023_day_reads_the_2023_plans_stall_limit(two_year_plans, make_deal):
    make_deal("zhongyuan", name="中原停滞", dates=[D(2022, 5, 1), D(2022, 12, 1)])
    for as_of, days, found in (("2022-12-31", 30, True), ("2023-01-10", 45, False), ("2023-01-15", 45, True)):
        out = io.StringIO()
        call_command("stalled_deals", "--as-of", as_of, "--json", stdout=out)
        body = json.loads(out.getvalue())
        assert body["stalled_after_days"] == days
        assert (["中原停滞"] == [r["deal"] for r in body["results"]]) is found, as_of
