"""The Word bulletin (python-docx) in the layout of a Chinese official document (GB/T 9704).

A4 with the standard margins; a red masthead (发文机关标志) and a red rule under the issue number
(文号, a placeholder such as 〔2022〕第X期 that the secretariat fills in); a title in 小标宋; the body in
仿宋 三号 with first-line indents; level-1 headings in 黑体 ("一、"), tables headed 表1…, chart images
with Chinese text (:mod:`.charts`), the issuer and date at the end, page numbers "— 1 —".

East Asian fonts are set with ``w:eastAsia`` on every style and run, with ``w:altName`` fallbacks in
the font table (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体) and the text marked
``zh-CN``, so Word uses the official fonts where installed and LibreOffice falls back to a CJK font.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from . import charts as chart_images_module
from .sections import chinese_number
from .services import BulletinData, amount, pct

RED = RGBColor(0xE6, 0x00, 0x12)  # the masthead red of official documents
BLACK = RGBColor(0, 0, 0)
LATIN = "Times New Roman"
TITLE_FONT, BODY_FONT, HEADING_FONT, KAI_FONT, TABLE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "仿宋_GB2312"
#: Font-table fallbacks (w:altName) for fonts that only some machines have.
ALT_NAMES = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "黑体": "SimHei"}
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号
LINE = Pt(28)  # fixed line pitch: 22 lines on the page, as in GB/T 9704
NO_SPACE = Pt(0)
TEXT_WIDTH_CM = 15.6
SECTION_TITLES = {
    "city": "一、全市固定资产投资完成情况",
    "key": "二、重点项目建设情况",
    "ranking": "三、各区县（市）、开发区投资增速排名",
    "escalation": "四、末位增速约谈情况",
    "lagging": "五、重点项目推进滞后情况",
    "missing": "六、项目统计入库情况",
    "evaluation": "七、季度综合评价和奖励情况",
}
CLOSING = ("各区县（市）、开发区和市直有关部门要对照年度目标任务，认真分析本地本部门投资运行情况，"
           "聚焦重点领域和重大项目，加快项目开工建设和投资入统，确保完成全年扩大有效投资目标任务。")


# ---------------------------------------------------------------------------
# Fonts


def _set_east_asian(rpr_parent: Any, east_asia: str, latin: str = LATIN) -> None:
    """Set ascii/hAnsi to ``latin`` and eastAsia to ``east_asia`` on a run's or a style's rPr."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _style(document: Any, name: str, *, east_asia: str, size: Pt, bold: bool = False, colour: RGBColor = BLACK,
           align: int | None = None, indent: bool = False, before: Pt = NO_SPACE, after: Pt = NO_SPACE,
           keep_with_next: bool = False) -> Any:
    style = document.styles[name]
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = colour
    _set_east_asian(style.element, east_asia)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before, fmt.space_after = before, after
    fmt.first_line_indent = Pt(size.pt * 2) if indent else Pt(0)
    fmt.keep_with_next = keep_with_next
    if align is not None:
        fmt.alignment = align
    return style


def _setup(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.5)
    _style(document, "Normal", east_asia=BODY_FONT, size=BODY_SIZE, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style(document, "Heading 1", east_asia=HEADING_FONT, size=BODY_SIZE, keep_with_next=True,
           align=WD_ALIGN_PARAGRAPH.LEFT, indent=True)
    _style(document, "Heading 2", east_asia=KAI_FONT, size=BODY_SIZE, keep_with_next=True,
           align=WD_ALIGN_PARAGRAPH.LEFT, indent=True)
    _style(document, "Title", east_asia=TITLE_FONT, size=Pt(22), align=WD_ALIGN_PARAGRAPH.CENTER,
           before=Pt(12), after=Pt(12))
    document.styles["Title"].paragraph_format.line_spacing = Pt(36)
    _remove_title_border(document.styles["Title"])
    caption = _style(document, "Caption", east_asia=HEADING_FONT, size=Pt(14), align=WD_ALIGN_PARAGRAPH.CENTER,
                     before=Pt(6), after=Pt(3), keep_with_next=True)
    caption.paragraph_format.line_spacing = Pt(22)
    _language(document)
    _font_table(document)


def _remove_title_border(style: Any) -> None:
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _language(document: Any) -> None:
    """Mark the default text language as zh-CN (East Asian) so renderers pick a Chinese font."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    _set_east_asian_defaults(rpr)


def _set_east_asian_defaults(rpr: Any) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), BODY_FONT)


def _font_table(document: Any) -> None:
    """Declare the Chinese fonts with GB2312 charset and their fallbacks (w:altName)."""
    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    from docx.oxml import parse_xml

    root = parse_xml(part.blob)
    for name, alt in ALT_NAMES.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt_name = OxmlElement("w:altName")
        alt_name.set(qn("w:val"), alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "modern" if name in (HEADING_FONT, BODY_FONT) else "roman")
        font.extend([alt_name, charset, family])
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------------------
# Building blocks


def _run(paragraph: Any, text: str, *, east_asia: str | None = None, size: Pt | None = None, bold: bool = False,
         colour: RGBColor | None = None, spacing: Pt | None = None) -> Any:
    run = paragraph.add_run(text)
    if east_asia:
        _set_east_asian(run._r, east_asia)
    if size is not None:
        run.font.size = size
    if bold:
        run.font.bold = True
    if colour is not None:
        run.font.color.rgb = colour
    if spacing is not None:
        rpr = run._r.get_or_add_rPr()
        sp = OxmlElement("w:spacing")
        sp.set(qn("w:val"), str(int(spacing.pt * 20)))
        rpr.append(sp)
    return run


def _plain_paragraph(document: Any, *, align: int = WD_ALIGN_PARAGRAPH.CENTER, indent: bool = False,
                     line: Pt | None = None, before: Pt = NO_SPACE, after: Pt = NO_SPACE) -> Any:
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = None if indent else Pt(0)
    if line is not None:
        fmt.line_spacing = line
    fmt.space_before, fmt.space_after = before, after
    return paragraph


def _red_rule(paragraph: Any) -> None:
    """A thick red line under the paragraph (the separator under the issue number)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "18")
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), "E60012")
    borders.append(bottom)
    ppr.append(borders)


def _page_number_footer(document: Any) -> None:
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    _run(paragraph, "— ", east_asia="宋体", size=Pt(14))
    run = paragraph.add_run()
    run.font.size = Pt(14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    _run(paragraph, " —", east_asia="宋体", size=Pt(14))


def _cell(cell: Any, text: str, *, bold: bool = False, align: int = WD_ALIGN_PARAGRAPH.CENTER,
          font: str = TABLE_FONT) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(1)
    _run(paragraph, text, east_asia=HEADING_FONT if bold else font, size=TABLE_SIZE, bold=False)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def table(document: Any, caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]],
          widths_cm: Sequence[float], *, left: Sequence[int] = ()) -> Any:
    """A captioned table (表N …) with a repeated header row; ``left`` columns are left-aligned."""
    document.add_paragraph(caption, style="Caption")
    rows = list(rows)
    grid = document.add_table(rows=1 + len(rows), cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for i, text in enumerate(headers):
        _cell(grid.rows[0].cells[i], text, bold=True)
    _repeat_header(grid.rows[0])
    for r, values in enumerate(rows, start=1):
        for i, text in enumerate(values):
            _cell(grid.rows[r].cells[i], str(text),
                  align=WD_ALIGN_PARAGRAPH.LEFT if i in left else WD_ALIGN_PARAGRAPH.CENTER)
    # Widths on the grid (LibreOffice reads w:gridCol), on every cell (Word), and a fixed layout.
    scale = TEXT_WIDTH_CM / sum(widths_cm)
    for i, width in enumerate(widths_cm):
        grid.columns[i].width = Cm(width * scale)
        for row in grid.rows:
            row.cells[i].width = Cm(width * scale)
    tbl_pr = grid._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(TEXT_WIDTH_CM / 2.54 * 1440)))
    document.add_paragraph().paragraph_format.line_spacing = Pt(10)
    return grid


def figure(document: Any, caption: str, png: bytes) -> None:
    paragraph = _plain_paragraph(document, line=None)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM - 0.6))
    document.add_paragraph(caption, style="Caption")


# ---------------------------------------------------------------------------
# The bulletin


def chart_images(data: BulletinData) -> dict[str, bytes]:
    """The bulletin's two charts: the units' FAI growth ranking and the city's monthly trend."""
    fai_code, fai_name = data.indicators[0]
    valued = sorted(data.ranking, key=lambda r: (r["rank"] is None, r["rank"] or 0))
    target = next((r["target"] for r in data.ranking), None)
    ranking_png = chart_images_module.ranking_chart(
        names=[r["short"] for r in valued], values=[None if r["value"] is None else float(r["value"]) for r in valued],
        target=None if target is None else float(target),
        title=f"各区县（市）、开发区{fai_name}增速（{data.year}年{data.span}）")
    trend = data.trend
    series = [(f"{name}（{trend['year']}年）", ind["current"]) for (code, name), ind in
              zip(data.indicators, trend["indicators"], strict=True)]
    previous = trend["indicators"][0]["previous"]
    if any(v is not None for v in previous):
        series.insert(1, (f"{fai_name}（{trend['year'] - 1}年）", previous))
    trend_png = chart_images_module.trend_chart(
        months=trend["months"], series=series, target=trend["indicators"][0]["target"],
        title=f"全市投资累计增速走势（{trend['year']}年）")
    return {"ranking": ranking_png, "trend": trend_png}


def _masthead(document: Any, data: BulletinData) -> None:
    header = _plain_paragraph(document, line=Pt(60), before=Pt(0), after=Pt(6))
    _run(header, data.header, east_asia=TITLE_FONT, size=Pt(30), colour=RED, spacing=Pt(1))
    number = _plain_paragraph(document, line=LINE)
    _run(number, data.number, east_asia=BODY_FONT, size=BODY_SIZE)
    dated = _plain_paragraph(document, align=WD_ALIGN_PARAGRAPH.LEFT, line=LINE, after=Pt(18))
    dated.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), alignment=2)  # right tab
    _run(dated, data.issuer, east_asia=BODY_FONT, size=Pt(14))
    _run(dated, f"\t{_date(data)}", east_asia=BODY_FONT, size=Pt(14))
    _red_rule(dated)


def _date(data: BulletinData) -> str:
    return f"{data.issued_on.year}年{data.issued_on.month}月{data.issued_on.day}日"


def _body(document: Any, texts: Iterable[str]) -> None:
    for text in texts:
        document.add_paragraph(text, style="Normal")


def write_docx(data: BulletinData, path: Path, *, charts: dict[str, bytes] | None = None) -> Path:
    """Write the bulletin to ``path`` (.docx)."""
    charts = charts if charts is not None else chart_images(data)
    document = Document()
    _setup(document)
    _page_number_footer(document)
    _masthead(document, data)
    document.add_paragraph(data.title, style="Title")
    addressees = document.add_paragraph(data.addressees, style="Normal")
    addressees.paragraph_format.first_line_indent = Pt(0)
    _body(document, data.paragraphs["opening"])

    fai_code, fai_name = data.indicators[0]
    others = data.indicators[1:]
    document.add_heading(SECTION_TITLES["city"], level=1)
    _body(document, data.paragraphs["city"])

    document.add_heading(SECTION_TITLES["key"], level=1)
    _body(document, data.paragraphs["key"])
    figure(document, f"图1  全市投资累计增速走势（{data.year}年）", charts["trend"])

    document.add_heading(SECTION_TITLES["ranking"], level=1)
    _body(document, data.paragraphs["ranking"])
    headers = ["排名", "单位", f"{fai_name}增速（%）", "目标（%）", "与目标差（百分点）",
               *[f"{name}增速（%）" for _, name in others]]
    rows = [[str(r["rank"]) if r["value"] is not None else "—", r["short"], pct(r["value"]), pct(r["target"]),
             _signed(r["gap"]), *[pct(r["others"].get(code)) for code, _ in others]] for r in data.ranking]
    width_rest = (TEXT_WIDTH_CM - 1.0 - 2.4 - 1.9 - 1.5 - 1.9) / max(1, len(others))
    table(document, f"表1  各区县（市）、开发区{fai_name}增速排名（{data.year}年{data.span}）", headers, rows,
          [1.0, 2.4, 1.9, 1.5, 1.9, *[width_rest] * len(others)], left=(1,))
    figure(document, f"图2  各区县（市）、开发区{fai_name}增速（{data.year}年{data.span}）", charts["ranking"])

    document.add_heading(SECTION_TITLES["escalation"], level=1)
    _body(document, data.paragraphs["escalation"])
    if data.escalations:
        table(document, "表2  末位增速约谈单位", ["单位", f"{fai_name}增速（%）", "连续末位月数", "处理级别"],
              [[e["short_name"], pct(e["value"]), str(e["streak"]), e["label"]] for e in data.escalations],
              [4.0, 3.6, 3.0, 5.0])

    document.add_heading(SECTION_TITLES["lagging"], level=1)
    _body(document, data.paragraphs["lagging"])
    if data.lagging_projects:
        table(document, f"表3  本年累计完成投资低于序时进度的重点项目（前{len(data.lagging_projects)}个）",
              ["序号", "项目名称", "单位", "年度计划（万元）", "本年累计（万元）", "完成率（%）"],
              [[str(i), p["name"], p["unit"], amount(p["plan_wan"]), amount(p["ytd_wan"]), pct(p["rate"])]
               for i, p in enumerate(data.lagging_projects, start=1)],
              [1.0, 5.6, 2.0, 2.5, 2.5, 2.0], left=(1,))

    document.add_heading(SECTION_TITLES["missing"], level=1)
    _body(document, data.paragraphs["missing"])
    if data.missing:
        table(document, "表4  已开工应入未入统计项目", ["序号", "项目名称", "单位", "责任部门", "总投资（万元）", "开工日期"],
              [[str(i), m["name"], m["unit"], m["departments"] or "—", amount(m["total_wan"]),
                f"{m['actual_start']:%Y-%m-%d}"] for i, m in enumerate(data.missing, start=1)],
              [1.0, 5.2, 2.0, 2.8, 2.4, 2.2], left=(1, 3))

    if data.evaluation is not None:
        document.add_heading(SECTION_TITLES["evaluation"], level=1)
        _body(document, data.paragraphs["evaluation"])
        table(document, f"表5  {data.year}年第{'一二三四'[data.quarter - 1]}季度综合评价结果和奖励",
              ["排名", "单位", "综合得分", "奖励资金（万元）"],
              [[str(r["rank"]), r["short_name"], f"{Decimal(r['score']):.2f}",
                amount(r["award_wan"], 0) if r["award_wan"] else "—"] for r in data.evaluation],
              [2.0, 5.0, 4.0, 4.6])

    number = 7 if data.evaluation is not None else 6
    table_number = 5 if data.evaluation is not None else 4
    for section in data.extra_sections:
        number += 1
        document.add_heading(f"{chinese_number(number)}、{section['title']}", level=1)
        _body(document, section["paragraphs"])
        for extra in section["tables"]:
            table_number += 1
            columns = len(extra["headers"])
            table(document, f"表{table_number}  {extra['caption']}", extra["headers"],
                  [["—" if v is None else (f"{v:,.2f}" if isinstance(v, float) else str(v)) for v in row]
                   for row in extra["rows"]],
                  [TEXT_WIDTH_CM / columns] * columns, left=(1,) if columns > 1 else ())
    document.add_heading(f"{chinese_number(number + 1)}、下一步工作要求", level=1)
    _body(document, [CLOSING])

    for text in ("", data.issuer, _date(data)):
        closing = _plain_paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT, line=LINE)
        closing.paragraph_format.right_indent = Pt(32)
        if text:
            _run(closing, text, east_asia=BODY_FONT, size=BODY_SIZE)
    note = _plain_paragraph(document, align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(22), before=Pt(12))
    _run(note, f"（本通报由系统根据{data.year}年{data.month}月统计数据和月度报送数据生成；方案文件校验码 {data.plan_hash[:12]}）",
         east_asia=BODY_FONT, size=Pt(10.5))
    document.core_properties.title = data.title
    document.core_properties.subject = data.header
    document.core_properties.keywords = f"plan:{data.plan_hash}"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = pct(value)
    return f"+{text}" if Decimal(value) > 0 else text

