"""Bulletin sections of the programmes (contract of the bulletins): the key-project rates every
month (二(二)5) and, in a quarterly bulletin, the statistics inclusion (入库纳统, 二(七)19: "每季度对
入库完成情况进行通报", with the units and departments of the missing projects)."""

from __future__ import annotations

from typing import Any

from tuijin.orgs.policy import SYSTEM
from tuijin.toolkit.periods import month_end, period_code

from . import selectors


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def key_rates_section(*, year: int, month: int) -> dict[str, Any] | None:
    data = selectors.key_project_figures(user=SYSTEM, period=period_code(year, month))
    total = data["total"]
    if not total["projects"]:
        return None
    lagging = [r["name"] for r in data["rows"] if r["lagging"]]
    paragraphs = [
        f"截至{year}年{month}月，全市省、市重点项目{total['projects']}个，本年累计完成投资{total['ytd_yi']}亿元，"
        f"投资完成率{_rate(total['completion_rate'])}（序时进度{data['time_progress']:.2f}%）；"
        f"开工率{_rate(total['start_rate'])}，资金到位率{_rate(total['funds_rate'])}，"
        f"按期竣工率{_rate(total['on_time_rate'])}，审批率{_rate(total['approval_rate'])}。",
    ]
    if lagging:
        paragraphs.append(f"重点项目投资完成率低于序时进度的单位：{'、'.join(lagging)}。")
    rows = [[r["name"], r["projects"], r["ytd_wan"], _rate(r["completion_rate"]), _rate(r["start_rate"]),
             _rate(r["funds_rate"]), _rate(r["on_time_rate"])] for r in data["rows"]]
    return {"order": 300, "title": "重点项目推进情况（“8946”计划）", "paragraphs": paragraphs,
            "tables": [{"caption": "各单位重点项目四项指标",
                        "headers": ["单位", "重点项目数", "本年累计完成（万元）", "投资完成率", "开工率", "资金到位率",
                                    "按期竣工率"],
                        "rows": rows}]}


def statistics_section(*, year: int, month: int) -> dict[str, Any]:
    period = period_code(year, month)
    reader = SYSTEM
    by_unit = selectors.statistics_figures(user=reader, period=period, by="unit")
    by_department = selectors.statistics_figures(user=reader, period=period, by="department")
    as_of = month_end(year, month)
    missing = list(selectors.missing_projects(user=SYSTEM, as_of=as_of))
    total = by_unit["total"]
    paragraphs = [
        f"截至{year}年{month}月底，已开工且总投资{by_unit['threshold_wan']:g}万元及以上的项目{total['due']}个，"
        f"已入库纳统{total['included']}个，入库率{_rate(total['inclusion_rate'])}；应入未入项目{total['missing']}个。",
    ]
    if missing:
        units = [r["name"] for r in by_unit["rows"] if r["missing"]]
        paragraphs.append(f"存在应入未入项目的单位：{'、'.join(units)}。对上述项目单位和主管部门予以通报批评，"
                          "相关项目年度投资计划暂缓下达，直至入库纳统。")
    tables = [
        {"caption": "各单位入库纳统情况", "headers": ["单位", "应入库", "已入库", "应入未入", "入库率"],
         "rows": [[r["name"], r["due"], r["included"], r["missing"], _rate(r["inclusion_rate"])]
                  for r in by_unit["rows"]]},
        {"caption": "各责任部门入库纳统情况", "headers": ["部门", "应入库", "已入库", "应入未入", "入库率"],
         "rows": [[r["name"], r["due"], r["included"], r["missing"], _rate(r["inclusion_rate"])]
                  for r in by_department["rows"]]},
    ]
    if missing:
        tables.append({"caption": "应入未入项目清单（年度投资计划暂缓下达）",
                       "headers": ["单位", "项目名称", "项目代码", "责任部门", "总投资（万元）", "实际开工"],
                       "rows": [[p.unit.display_name, p.name, p.project_code or "",
                                 "、".join(d.display_name for d in p.departments.all()),
                                 float(p.total_investment), p.actual_start.isoformat()] for p in missing[:500]]})
    return {"order": 310, "title": "固定资产投资项目入库纳统情况", "paragraphs": paragraphs, "tables": tables}


def bulletin_sections(*, year: int, month: int, quarterly: bool) -> list[dict[str, Any]]:
    sections = []
    rates = key_rates_section(year=year, month=month)
    if rates:
        sections.append(rates)
    if quarterly:
        sections.append(statistics_section(year=year, month=month))
    return sections
