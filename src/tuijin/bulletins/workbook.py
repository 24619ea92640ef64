"""The bulletin's Excel workbook (XlsxWriter): the same tables as the Word document, with native charts.

Sheets: 概况 (city figures and key-project targets), 排名 (every unit, with a bar chart), 走势 (monthly
city growth, with a line chart), 末位约谈, 滞后项目, 应入未入, and for a quarterly bulletin 综合评价.
Numbers are written as numbers (growth in percent, money in 亿元 or 万元 as the header says).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from tuijin.toolkit.spreadsheets import new_workbook

from .services import BulletinData

SHEETS = {"summary": "概况", "ranking": "排名", "trend": "走势", "escalation": "末位约谈",
          "lagging": "滞后项目", "missing": "应入未入", "evaluation": "综合评价"}


def _sheet_name(caption: str, used: set[str]) -> str:
    """A worksheet name from a caption: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = "".join(ch for ch in caption if ch not in "[]:*?/\\")[:28] or "附表"
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base[:28 - len(str(n))]}（{n}）"
    used.add(name)
    return name


def _n(value: Any) -> float | None:
    return None if value is None else float(Decimal(str(value)))


class _Writer:
    def __init__(self, path: Path) -> None:
        self.book = new_workbook(str(path), in_memory=False, default_date_format="yyyy-mm-dd")
        self.title = self.book.add_format({"bold": True, "font_size": 14, "font_name": "黑体"})
        self.note = self.book.add_format({"font_color": "#6c757d", "italic": True})
        self.head = self.book.add_format({"bold": True, "bg_color": "#f3d6d4", "border": 1, "align": "center",
                                          "valign": "vcenter", "text_wrap": True})
        self.text = self.book.add_format({"border": 1})
        self.centre = self.book.add_format({"border": 1, "align": "center"})
        self.pct = self.book.add_format({"border": 1, "num_format": "0.0#"})
        self.money = self.book.add_format({"border": 1, "num_format": "#,##0.00"})
        self.count = self.book.add_format({"border": 1, "num_format": "#,##0"})
        self.date = self.book.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        self.bad = self.book.add_format({"font_color": "#b3261e"})

    def sheet(self, key: str, title: str, headers: list[str], widths: list[float]) -> Any:
        sheet = self.book.add_worksheet(SHEETS[key])
        sheet.write(0, 0, title, self.title)
        for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
            sheet.write(2, col, header, self.head)
            sheet.set_column(col, col, width)
        sheet.set_row(2, 32)
        sheet.freeze_panes(3, 0)
        return sheet

    def row(self, sheet: Any, row: int, values: list[tuple[Any, Any]]) -> None:
        for col, (value, fmt) in enumerate(values):
            if value is None:
                sheet.write_blank(row, col, None, fmt)
            else:
                sheet.write(row, col, value, fmt)


def write_xlsx(data: BulletinData, path: Path) -> Path:
    """Write the bulletin's workbook to ``path`` (.xlsx)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    w = _Writer(path)
    fai_code, fai_name = data.indicators[0]
    others = data.indicators[1:]
    period = f"{data.year}年{data.span}"

    # 概况: the city's official figures, then the key-project targets.
    sheet = w.sheet("summary", f"{data.title}", ["指标", "本年累计（亿元）", "同比增长（%）", "目标（%）",
                                                 "与目标差（百分点）"], [26, 16, 14, 12, 16])
    sheet.write(1, 0, f"{data.header}  {data.number}  序时进度 {data.time_progress}%", w.note)
    r = 3
    for code, name in data.indicators:
        figure = data.city_figures.get(code, {})
        ytd = figure.get("ytd_wan")
        w.row(sheet, r, [(name, w.text), (None if ytd is None else _n(Decimal(ytd) / 10_000), w.money),
                         (_n(figure.get("yoy_growth")), w.pct), (_n(figure.get("target")), w.pct),
                         (_n(figure.get("gap_points")), w.pct)])
        r += 1
    r += 1
    for col, header in enumerate(["重点项目指标", "完成", "年度目标", "完成率（%）", "单位"]):
        sheet.write(r, col, header, w.head)
    r += 1
    key = data.key
    actuals = {"key_projects": key.key_projects, "key_project_investment": key.investment_yuan / 100_000_000,
               "q1_investment": key.q1_investment_yuan / 100_000_000, "new_starts": key.new_starts,
               "approval_items": key.approvals_done,
               "shortfall_982_investment": key.shortfall_982_investment_yuan / 100_000_000}
    units = {"yi": "亿元", "count": "个", "wan": "万元", "percent": "%"}
    for name, target in data.key_targets.items():
        actual, value = actuals.get(name), _n(target["value"])
        rate = None if not value or actual is None else round(actual * 100 / value, 2)
        w.row(sheet, r, [(target["label"], w.text), (round(actual, 2) if actual is not None else None, w.money),
                         (value, w.money), (rate, w.pct), (units.get(target["unit"], ""), w.centre)])
        r += 1

    # 排名: every unit, ranked by FAI growth, with a native bar chart.
    headers = ["排名", "单位", "代码", f"{fai_name}本年累计（亿元）", f"{fai_name}增速（%）", "目标（%）",
               "与目标差（百分点）", *[f"{name}增速（%）" for _, name in others]]
    sheet = w.sheet("ranking", f"表1  各区县（市）、开发区{fai_name}增速排名（{period}）", headers,
                    [7, 16, 14, 18, 14, 10, 14, *[14] * len(others)])
    for i, row in enumerate(data.ranking, start=3):
        ytd = row.get("ytd_wan")
        w.row(sheet, i, [(row["rank"] if row["value"] is not None else None, w.centre), (row["short"], w.text),
                         (row["org"], w.text), (None if ytd is None else _n(Decimal(ytd) / 10_000), w.money),
                         (_n(row["value"]), w.pct), (_n(row["target"]), w.pct), (_n(row["gap"]), w.pct),
                         *[(_n(row["others"].get(code)), w.pct) for code, _ in others]])
    last = 3 + len(data.ranking) - 1
    chart = w.book.add_chart({"type": "bar"})
    chart.add_series({"name": f"{fai_name}增速（%）", "categories": [SHEETS["ranking"], 3, 1, last, 1],
                      "values": [SHEETS["ranking"], 3, 4, last, 4], "fill": {"color": "#b3261e"},
                      "data_labels": {"value": True, "num_format": "0.0"}})
    chart.add_series({"name": "目标（%）", "categories": [SHEETS["ranking"], 3, 1, last, 1],
                      "values": [SHEETS["ranking"], 3, 5, last, 5], "fill": {"color": "#adb5bd"}})
    chart.set_title({"name": f"{fai_name}增速排名（{period}）"})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"name": "%"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": 520})
    sheet.insert_chart(last + 3, 1, chart)

    # 走势: the city's monthly cumulative growth, with a native line chart.
    trend = data.trend
    headers = ["月份", *[f"{ind['name']}（{trend['year']}年）" for ind in trend["indicators"]],
               f"{fai_name}（{trend['year'] - 1}年）"]
    sheet = w.sheet("trend", f"全市投资累计增速走势（{trend['year']}年，%）", headers, [8, *[18] * len(headers[1:])])
    for m, label in enumerate(trend["months"]):
        w.row(sheet, 3 + m, [(label, w.centre), *[(ind["current"][m], w.pct) for ind in trend["indicators"]],
                             (trend["indicators"][0]["previous"][m], w.pct)])
    line = w.book.add_chart({"type": "line"})
    colours = ["#b3261e", "#0d6efd", "#6f42c1", "#fd7e14", "#6c757d"]
    for col in range(1, len(headers)):
        line.add_series({"name": [SHEETS["trend"], 2, col], "categories": [SHEETS["trend"], 3, 0, 14, 0],
                         "values": [SHEETS["trend"], 3, col, 14, col],
                         "line": {"color": colours[(col - 1) % len(colours)],
                                  "dash_type": "dash" if col == len(headers) - 1 else "solid"},
                         "marker": {"type": "circle", "size": 4}})
    line.set_title({"name": "全市投资累计增速（%）"})
    line.set_legend({"position": "bottom"})
    line.show_blanks_as("gap")
    line.set_size({"width": 720, "height": 380})
    sheet.insert_chart(17, 0, line)

    # 末位约谈
    sheet = w.sheet("escalation", "表2  末位增速约谈单位", ["单位", "代码", f"{fai_name}增速（%）", "连续末位月数",
                                                      "处理级别", "级别代码"], [16, 14, 14, 14, 20, 14])
    for i, e in enumerate(data.escalations, start=3):
        w.row(sheet, i, [(e["short_name"], w.text), (e["org"], w.text), (_n(e["value"]), w.pct),
                         (e["streak"], w.count), (e["label"], w.text), (e["level"], w.text)])
    if not data.escalations:
        sheet.write(3, 0, "本月无单位因增速排名末位被通报或约谈", w.note)

    # 滞后项目
    sheet = w.sheet("lagging", f"表3  本年累计完成投资低于序时进度的重点项目（共{data.lagging_count}个，列出前"
                               f"{len(data.lagging_projects)}个）",
                    ["序号", "项目名称", "单位", "年度计划（万元）", "本年累计（万元）", "完成率（%）", "序时进度（%）"],
                    [6, 44, 14, 16, 16, 12, 12])
    for i, p in enumerate(data.lagging_projects, start=1):
        w.row(sheet, i + 2, [(i, w.centre), (p["name"], w.text), (p["unit"], w.text), (_n(p["plan_wan"]), w.money),
                             (_n(p["ytd_wan"]), w.money), (_n(p["rate"]), w.pct), (_n(p["time_progress"]), w.pct)])
    start = len(data.lagging_projects) + 5
    sheet.write(start, 0, "各单位滞后重点项目数", w.title)
    for j, (unit, n) in enumerate(data.lagging_by_unit, start=1):
        w.row(sheet, start + j, [(unit, w.text), (n, w.count)])

    # 应入未入
    sheet = w.sheet("missing", f"表4  已开工、总投资{data.missing_threshold_wan}万元及以上应入未入统计项目"
                               f"（共{len(data.missing)}个）",
                    ["序号", "项目名称", "项目代码", "单位", "责任部门", "总投资（万元）", "开工日期"],
                    [6, 44, 26, 14, 24, 16, 12])
    for i, m in enumerate(data.missing, start=1):
        w.row(sheet, i + 2, [(i, w.centre), (m["name"], w.text), (m["project_code"], w.text), (m["unit"], w.text),
                             (m["departments"], w.text), (_n(m["total_wan"]), w.money), (m["actual_start"], w.date)])

    if data.evaluation is not None:
        labels = list(next(iter(data.evaluation), {}).get("indicators", {}).items())
        headers = ["排名", "单位", "综合得分", "奖励资金（万元）", *[f"{part['label']}（得分）" for _, part in labels]]
        sheet = w.sheet("evaluation", f"表5  {data.year}年第{'一二三四'[data.quarter - 1]}季度综合评价结果和奖励",
                        headers, [7, 16, 12, 16, *[18] * len(labels)])
        sheet.write(1, 0, data.evaluation_note, w.note)
        for i, row in enumerate(data.evaluation, start=3):
            parts = row.get("indicators", {})
            w.row(sheet, i, [(row["rank"], w.centre), (row["short_name"], w.text), (_n(row["score"]), w.money),
                             (_n(row["award_wan"]), w.money),
                             *[(_n(parts.get(code, {}).get("points")), w.money) for code, _ in labels]])
        bars = w.book.add_chart({"type": "column"})
        end = 3 + len(data.evaluation) - 1
        bars.add_series({"name": "综合得分", "categories": [SHEETS["evaluation"], 3, 1, end, 1],
                         "values": [SHEETS["evaluation"], 3, 2, end, 2], "fill": {"color": "#b3261e"}})
        bars.set_title({"name": "综合评价得分"})
        bars.set_legend({"none": True})
        bars.set_size({"width": 720, "height": 360})
        sheet.insert_chart(end + 3, 1, bars)

    used = set(SHEETS.values())
    for section in data.extra_sections:
        for extra in section["tables"]:
            name = _sheet_name(extra["caption"], used)
            sheet = w.book.add_worksheet(name)
            sheet.write(0, 0, f"{section['title']}：{extra['caption']}", w.title)
            for col, header in enumerate(extra["headers"]):
                sheet.write(2, col, header, w.head)
                sheet.set_column(col, col, max(10, min(40, 2 * len(header) + 4)))
            sheet.set_row(2, 32)
            sheet.freeze_panes(3, 0)
            for i, row in enumerate(extra["rows"], start=3):
                w.row(sheet, i, [(v, w.money if isinstance(v, float) else w.count if isinstance(v, int) else w.text)
                                 for v in row])

    w.book.set_properties({"title": data.title, "subject": data.header, "keywords": f"plan:{data.plan_hash}"})
    w.book.close()
    return path
