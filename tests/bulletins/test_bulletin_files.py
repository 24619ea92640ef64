"""The generated Word and Excel bulletins, read back: headings, the 16 ranking rows, the computed numbers,
the escalation level, the statistics-inclusion list, and the quarterly evaluation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from tuijin.assessment import selectors as assessment
from tuijin.audit.context import audit_context
from tuijin.bulletins import services
from tuijin.bulletins.document import SECTION_TITLES
from tuijin.bulletins.workbook import SHEETS
from tuijin.orgs.policy import SYSTEM
from tuijin.plan import plan_for
from tuijin.toolkit.errors import ValidationFailed
from web.figures import LAGGING_NAME, MISSING_NAME, MONTH, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(figures, users, settings):
    with audit_context(source="cli", reason="test"):
        bulletin = services.bulletin_generate(actor=users["fgw"], year=YEAR, month=MONTH)
    return bulletin, settings.MEDIA_ROOT / bulletin.docx_file, settings.MEDIA_ROOT / bulletin.xlsx_file


def _docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_word_bulletin_has_the_official_layout_and_every_section(generated):
    bulletin, docx_path, _ = generated
    document = Document(str(docx_path))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "郑州市扩大有效投资工作通报"  # the masthead, from the plan's city
    assert texts[1] == f"〔{YEAR}〕第X期"
    assert document.paragraphs[0].runs[0].font.color.rgb is not None  # red masthead
    assert "关于2022年1—6月全市扩大有效投资工作进展情况的通报" in texts
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    for key in ("city", "key", "ranking", "escalation", "lagging", "missing"):
        assert SECTION_TITLES[key] in headings
    assert SECTION_TITLES["evaluation"] not in headings  # monthly bulletins have no evaluation
    body = document.styles["Normal"].element.rPr.rFonts
    assert body.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"
    assert len(document.inline_shapes) == 2  # the trend and ranking charts
    assert bulletin.plan_hash == plan_for(2022).hash and bulletin.kind == "monthly"


def test_the_opening_sentence_is_written_from_the_city_figures(generated):
    document = Document(str(generated[1]))
    city = assessment.city_figures(user=SYSTEM, year=YEAR, month=MONTH)["fai"]
    growth, target = city["yoy_growth"], city["target"]
    gap = growth - target
    expected = f"1—6月，全市固定资产投资同比增长{services.pct(growth)}%，{'高于' if gap > 0 else '低于'}目标{services.pct(abs(gap))}个百分点"
    assert any(p.text.startswith(expected) for p in document.paragraphs)
    assert "房地产开发投资同比下降2.5%" in _docx_text(document)  # a negative growth reads 下降


def test_the_ranking_table_lists_all_sixteen_units_with_the_selectors_values(generated):
    document = Document(str(generated[1]))
    table = document.tables[0]
    assert table.rows[0].cells[0].text == "排名"
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    ranking = assessment.unit_growth_ranking(user=SYSTEM, year=YEAR, month=MONTH, indicator="fai")
    assert len(rows) == 16 == len(ranking)
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (str(x["rank"]), x["short_name"], services.pct(x["value"])) for x in ranking]
    assert rows[0][0] == rows[1][0] == "1" and rows[2][0] == "3"  # the tie at the top shares rank 1
    assert rows[-1][1] == "登封市" and rows[-1][2] == "-3.2" and rows[-1][4] == "-13.2"


def test_the_escalation_level_and_the_lagging_and_missing_projects_are_named(generated):
    document = Document(str(generated[1]))
    text = _docx_text(document)
    escalations = assessment.escalation_list(user=SYSTEM, year=YEAR, month=MONTH)
    assert [(e["org"], e["streak"], e["level"]) for e in escalations] == [("dengfeng", 3, "mayor_talk")]
    assert "市主要领导约谈" in text and "连续3个月排名末位" in text
    assert LAGGING_NAME in text and "中原区正常推进重点项目" not in text
    assert MISSING_NAME in text and "登封市小项目" not in text  # 300万 is below the plan's 500万 threshold
    assert "共1个" in text


def test_the_workbook_has_the_same_tables_and_native_charts(generated):
    _, _, xlsx_path = generated
    book = load_workbook(str(xlsx_path))
    # The bulletin's own sheets first; other apps' sections (tuijin.bulletins.sections) may follow.
    assert list(book.sheetnames)[:6] == [SHEETS[k] for k in ("summary", "ranking", "trend", "escalation", "lagging",
                                                                "missing")]
    sheet = book[SHEETS["ranking"]]
    header = [c.value for c in sheet[3]]
    assert header[:5] == ["排名", "单位", "代码", "固定资产投资本年累计（亿元）", "固定资产投资增速（%）"]
    data = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[2]]
    ranking = assessment.unit_growth_ranking(user=SYSTEM, year=YEAR, month=MONTH, indicator="fai")
    assert len(data) == 16
    assert [(r[0], r[2], Decimal(str(r[4]))) for r in data] == [(x["rank"], x["org"], x["value"]) for x in ranking]
    assert len(sheet._charts) == 1 and len(book[SHEETS["trend"]]._charts) == 1
    summary = {row[0]: row for row in book[SHEETS["summary"]].iter_rows(min_row=4, values_only=True) if row[0]}
    city = assessment.city_figures(user=SYSTEM, year=YEAR, month=MONTH)
    assert Decimal(str(summary["固定资产投资"][2])) == city["fai"]["yoy_growth"]
    assert Decimal(str(summary["固定资产投资"][3])) == city["fai"]["target"]
    escalation = list(book[SHEETS["escalation"]].iter_rows(min_row=4, values_only=True))
    assert escalation[0][:6] == ("登封市", "dengfeng", -3.2, 3, "市主要领导约谈", "mayor_talk")
    missing = [row for row in book[SHEETS["missing"]].iter_rows(min_row=4, values_only=True) if row[1]]
    assert [row[1] for row in missing] == [MISSING_NAME] and missing[0][5] == 8000


def test_a_quarterly_bulletin_adds_the_evaluation_and_awards(figures, users, settings):
    with audit_context(source="cli", reason="test"):
        bulletin = services.bulletin_generate(actor=users["fgw"], year=YEAR, month=MONTH, quarterly=True)
    document = Document(str(settings.MEDIA_ROOT / bulletin.docx_file))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert SECTION_TITLES["evaluation"] in headings and bulletin.kind == "quarterly"
    evaluation = assessment.evaluation_compute(user=SYSTEM, year=YEAR, quarter=2)
    # Other apps' quarterly sections (promotion, incentives …) may follow: find the evaluation table.
    table = next(t for t in document.tables
                 if [c.text for c in t.rows[0].cells] == ["排名", "单位", "综合得分", "奖励资金（万元）"])
    assert [(r.cells[0].text, r.cells[1].text, r.cells[2].text) for r in table.rows[1:]] == [
        (str(e["rank"]), e["short_name"], f"{e['score']:.2f}") for e in evaluation]
    awarded = sum(e["award_wan"] for e in evaluation)
    assert awarded > 0 and f"奖励资金共{services.amount(awarded, 0)}万元" in _docx_text(document)
    sheet = load_workbook(str(settings.MEDIA_ROOT / bulletin.xlsx_file))[SHEETS["evaluation"]]
    assert [row[1] for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]][:16] == [
        e["short_name"] for e in evaluation]


def test_a_quarterly_bulletin_needs_a_quarter_end_month(figures, users):
    with audit_context(source="cli"), pytest.raises(ValidationFailed, match="季末月份"):
        services.bulletin_generate(actor=users["fgw"], year=YEAR, month=5, quarterly=True)


def test_no_bulletin_without_official_statistics(orgs, users):
    with audit_context(source="cli"), pytest.raises(ValidationFailed, match="尚无统计部门发布"):
        services.bulletin_generate(actor=users["fgw"], year=YEAR, month=MONTH)


def test_only_the_city_administrator_generates_bulletins(figures, users):
    from tuijin.toolkit.errors import PermissionRefused

    for name in ("leader", "jinshui", "gxj"):
        with audit_context(source="web"), pytest.raises(PermissionRefused):
            services.bulletin_generate(actor=users[name], year=YEAR, month=MONTH)


def test_a_bulletin_is_dated_by_the_business_date(figures, users, business_date, settings):
    business_date("2022-07-15")
    with audit_context(source="cli", reason="test"):
        bulletin = services.bulletin_generate(actor=users["fgw"], year=YEAR, month=MONTH)
    texts = [p.text for p in Document(str(settings.MEDIA_ROOT / bulletin.docx_file)).paragraphs]
    assert "2022年7月15日" in [t.strip() for t in texts]


def test_a_2022_bulletin_keeps_the_2022_plan_when_a_2023_plan_exists(figures, business_date, two_year_plans):
    two_year_plans({"title: 2022年全市扩大有效投资工作实施方案": "title: 2023年全市扩大有效投资工作实施方案",
                    "unit_fai_growth: {value: 10,": "unit_fai_growth: {value: 12,"})
    business_date("2023-03-01")
    data = services.bulletin_data(year=YEAR, month=MONTH)
    assert data.plan_hash == plan_for(2022).hash != plan_for(2023).hash
    assert {row["target"] for row in data.ranking} == {Decimal(10)}
    assert "《2022年全市扩大有效投资工作实施方案》" in services.body_paragraphs(data)["opening"][0]
    assert data.issued_on.isoformat() == "2023-03-01"
