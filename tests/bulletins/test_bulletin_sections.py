"""Sections other apps add to the bulletin (``bulletin_sections.py``), rendered in Word and Excel."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from docx import Document
from openpyxl import load_workbook

from tuijin.audit.context import audit_context
from tuijin.bulletins import sections, services
from web.figures import MONTH, YEAR

pytestmark = pytest.mark.django_db


def _provider(*, year, month, quarterly):
    return [
        {"order": 20, "title": "招商引资情况", "paragraphs": [f"{year}年{month}月新签约项目3个。"], "tables": []},
        {"order": 10, "title": "专项债券发行使用情况",
         "paragraphs": ["全市专项债券支出进度有待加快。"],
         "tables": [{"caption": "专项债券评价排名", "headers": ["排名", "单位", "得分"],
                     "rows": [[1, "金水区", 92.5], [2, "中原区", None]]}]},
    ]


@pytest.fixture
def with_sections(monkeypatch):
    monkeypatch.setattr(sections, "_providers", lambda: (("tuijin.test", _provider),))


def test_other_apps_sections_follow_the_bulletins_own_in_order(figures, users, settings, with_sections):
    with audit_context(source="cli", reason="test"):
        bulletin = services.bulletin_generate(actor=users["fgw"], year=YEAR, month=MONTH)
    document = Document(str(settings.MEDIA_ROOT / bulletin.docx_file))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[-3:] == ["七、专项债券发行使用情况", "八、招商引资情况", "九、下一步工作要求"]
    texts = [p.text for p in document.paragraphs]
    assert "2022年6月新签约项目3个。" in texts
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "单位" and t.rows[0].cells[2].text == "得分")
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [["1", "金水区", "92.50"], ["2", "中原区", "—"]]
    assert "表5  专项债券评价排名" in texts

    book = load_workbook(str(settings.MEDIA_ROOT / bulletin.xlsx_file))
    sheet = book["专项债券评价排名"]
    assert [c.value for c in sheet[3]] == ["排名", "单位", "得分"]
    assert list(sheet.iter_rows(min_row=4, values_only=True)) == [(1, "金水区", 92.5), (2, "中原区", None)]


def test_a_malformed_section_names_its_app(monkeypatch):
    monkeypatch.setattr(sections, "_providers", lambda: (("tuijin.broken", lambda **kw: [{"title": "无序号"}]),))
    with pytest.raises(ImproperlyConfigured, match="tuijin.broken"):
        sections.extra_sections(year=2022, month=6, quarterly=False)


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")])
def test_section_numbers_are_chinese_numerals(n, text):
    assert sections.chinese_number(n) == text
