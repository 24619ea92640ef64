"""The monthly progress template: one unit's reportable projects for one period, as Excel (二(七)20).

DESIGN §4.5: "a downloadable template per unit and period (the unit's projects
pre-filled, drop-downs, protected key columns)". This module owns the template's
format — sheet names, headers, the hidden metadata sheet — and
:mod:`tuijin.reporting.importing` reads files back by the same names.

Layout of the workbook:

* ``月度进展`` — one row per reportable project. Key and context columns (code,
  name, total investment, annual plan, last month's year-to-date and percent)
  are locked; the five input columns are unlocked and carry data validation.
  The sheet is protected **without a password**: protection guards against
  slips, not against a determined user, and the import validates everything
  again anyway.
* ``填报说明`` — period, unit, deadline, the rules and what each column means.
* ``_meta`` — very hidden; kind, period and unit code, so that an upload of the
  wrong month's or the wrong unit's file is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.orgs.policy import SystemPrincipal
from tuijin.projects.models import AnnualPlan
from tuijin.toolkit import clock
from tuijin.toolkit.errors import PermissionRefused
from tuijin.toolkit.spreadsheets import new_workbook

from . import rules, years
from .calendar import period_plan
from .models import Period, ProgressReport
from .selectors import reportable_projects

TEMPLATE_KIND = "progress"
FORMAT_VERSION = "1"

DATA_SHEET = "月度进展"
INSTRUCTIONS_SHEET = "填报说明"
META_SHEET = "_meta"

COL_CODE = "项目代码"
COL_NAME = "项目名称"
COL_TOTAL = "总投资（万元）"
COL_PLAN = "年度计划（万元）"
COL_PREV_YTD = "上月本年累计（万元）"
COL_PREV_PERCENT = "上月完成百分比"
COL_AMOUNT = "本月完成投资（万元）"
COL_PROGRESS = "形象进度"
COL_PERCENT = "完成百分比"
COL_STARTED = "是否开工"
COL_NOTES = "备注"

YES, NO = "是", "否"
TEXT_MAX_LENGTH = 500  # physical_progress and notes are CharField(max_length=500)


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    editable: bool
    required: bool  # the import refuses a file without this header
    help: str


COLUMNS: tuple[Column, ...] = (
    Column(COL_CODE, 27, False, True, "国家投资项目代码（YYYY-AAAAAA-BB-CC-NNNNNN），用于识别项目，不得修改"),
    Column(COL_NAME, 40, False, True, "项目名称，仅供核对，导入时不读取"),
    Column(COL_TOTAL, 14, False, False, "项目总投资，仅供参考"),
    Column(COL_PLAN, 14, False, False, "本年度计划投资，仅供参考；本年累计超过它时导入会提示"),
    Column(COL_PREV_YTD, 16, False, False, "截至上月的本年累计完成投资（1月为0），仅供参考"),
    Column(COL_PREV_PERCENT, 12, False, False, "上月填报的完成百分比，仅供参考；本月低于它时导入会提示"),
    Column(COL_AMOUNT, 16, True, True, "本月完成投资，单位万元，≥0，最多4位小数（精确到元）；本月无投资填0"),
    Column(COL_PROGRESS, 40, True, True, "形象进度：工程实际进展的文字描述（如“主体结构施工至8层”），最多500字"),
    Column(COL_PERCENT, 12, True, True, "项目完成百分比，0–100之间的数字，最多2位小数（45.5表示45.5%），可不填"),
    Column(COL_STARTED, 10, True, True, "从下拉列表选择“是”或“否”"),
    Column(COL_NOTES, 30, True, False, "备注，最多500字，可不填"),
)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
REQUIRED_HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS if c.required)
INPUT_HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS if c.editable)

#: Keys of the metadata sheet (column A), values in column B.
META_KIND, META_PERIOD, META_UNIT = "kind", "period", "unit"


def _wan(yuan: int | None) -> float | None:
    # Float division is correctly rounded, and a 万元 amount with at most 4 decimals and
    # 15 significant digits reads back exactly through repr() (see money.parse_wan).
    return None if yuan is None else yuan / 10_000


def write_progress_template(*, user: User | SystemPrincipal, unit: Org, period: Period, out: IO[bytes]) -> int:
    """Write the unit's progress template for ``period`` to ``out``; return the number of project rows.

    二(七)20 (按月报送本地投资进展情况), DESIGN §4.5. Rows are the unit's reportable projects
    (:func:`~tuijin.reporting.selectors.reportable_projects`, in ``user``'s scope;
    :data:`~tuijin.orgs.policy.SYSTEM` reads city-wide), pre-filled with the values already reported for the period.
    Records one ``export`` audit entry, so it must run inside an audit context.
    """
    if not policy.can(user, "view_unit", unit):
        raise PermissionRefused(f"您无权导出{unit.name}的月报模板")
    year, month = period.year, period.month
    projects = list(
        reportable_projects(user=user, unit=unit, period=period)
        .values_list("id", "project_code", "name", "total_investment_yuan", "stage")
    )
    ids = [p[0] for p in projects]
    plans = _annual_plans(unit=unit, year=year)
    current = {
        r[0]: r[1:] for r in ProgressReport.objects.filter(unit=unit, period=period).values_list(
            "project_id", "month_amount_yuan", "physical_progress", "percent_complete", "started", "notes")
    }
    prev_year, prev_month = rules.previous_period(year, month)
    previous = {
        r[0]: r[1:] for r in ProgressReport.objects.filter(
            unit=unit, period__year=prev_year, period__month=prev_month).values_list(
            "project_id", "ytd_amount_yuan", "percent_complete")
    }

    book = new_workbook(out, constant_memory=True)
    book.set_properties({"title": f"{unit.name}{year}年{month}月项目投资进展", "subject": "月度投资进展填报",
                         "company": "tuijin", "comments": f"{TEMPLATE_KIND} {period.code} {unit.code}"})
    formats = _formats(book)
    sheet = book.add_worksheet(DATA_SHEET)
    _write_instructions(book, formats, unit=unit, period=period, rows=len(projects))
    _write_meta(book, unit=unit, period=period)

    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column.header, formats["head_input" if column.editable else "head"])
        sheet.set_column(col, col, column.width)
    sheet.set_row(0, 36)
    sheet.freeze_panes(1, 2)

    col = {h: i for i, h in enumerate(HEADERS)}
    for row, (pid, code, name, total_yuan, stage) in enumerate(projects, start=1):
        sheet.write_string(row, col[COL_CODE], code or "", formats["key"])
        sheet.write_string(row, col[COL_NAME], name, formats["key"])
        sheet.write_number(row, col[COL_TOTAL], _wan(total_yuan), formats["key_money"])
        _write_optional_number(sheet, row, col[COL_PLAN], _wan(plans.get(pid)), formats["key_money"])
        prev = previous.get(pid)
        prev_ytd = prev[0] if prev is not None and prev_year == year else (0 if month == 1 else None)
        _write_optional_number(sheet, row, col[COL_PREV_YTD], _wan(prev_ytd), formats["key_money"])
        prev_percent = float(prev[1]) if prev is not None and prev[1] is not None else None
        _write_optional_number(sheet, row, col[COL_PREV_PERCENT], prev_percent, formats["key_percent"])
        existing = current.get(pid)
        if existing is not None:
            amount_yuan, progress, percent, started, notes = existing
            sheet.write_number(row, col[COL_AMOUNT], _wan(amount_yuan), formats["input_money"])
            sheet.write_string(row, col[COL_PROGRESS], progress or "", formats["input"])
            _write_optional_number(sheet, row, col[COL_PERCENT], None if percent is None else float(percent),
                                   formats["input_percent"])
            sheet.write_string(row, col[COL_STARTED], YES if started else NO, formats["input"])
            sheet.write_string(row, col[COL_NOTES], notes or "", formats["input"])
        else:
            sheet.write_blank(row, col[COL_AMOUNT], None, formats["input_money"])
            sheet.write_blank(row, col[COL_PROGRESS], None, formats["input"])
            sheet.write_blank(row, col[COL_PERCENT], None, formats["input_percent"])
            sheet.write_string(row, col[COL_STARTED], YES if stage in ("construction", "completed") else NO,
                               formats["input"])
            sheet.write_blank(row, col[COL_NOTES], None, formats["input"])

    last = max(len(projects), 1)
    _add_validations(sheet, last_row=last, col=col)
    sheet.autofilter(0, 0, last, len(COLUMNS) - 1)
    sheet.protect("", {"autofilter": True, "format_columns": True, "format_rows": True, "sort": False})
    sheet.activate()
    book.close()

    audit.record(action="export", object_type="reporting.progressreport",
                 object_repr=f"{unit.display_name} {period.code} 月度进展模板",
                 after={"kind": TEMPLATE_KIND, "period": period.code, "unit": unit.code, "rows": len(ids)})
    return len(ids)


def _annual_plan_lines(*, unit: Org, year: int) -> list[tuple[str, str]]:
    """In a year opened with ``year-open``: the carried-over projects of the unit lacking the year's annual
    plan, which the template leaves out until the plan is entered (issue 15)."""
    if not years.requires_annual_plan(year):
        return []
    missing = list(years.projects_without_annual_plan(user=policy.SYSTEM, year=year, unit=unit)
                   .values_list("name", flat=True)[:50])
    if not missing:
        return [("年度计划", f"{year}年起结转项目须有{year}年度计划投资才纳入月报；本单位结转项目均已填报。")]
    names = "、".join(missing)
    return [("年度计划", f"{year}年起结转项目须有{year}年度计划投资才纳入月报。本单位以下项目缺少{year}年度计划，"
                      f"未列入本表，请先在项目库中补报：{names}")]


def _annual_plans(*, unit: Org, year: int) -> dict[int, int]:
    return dict(AnnualPlan.objects.filter(project__unit=unit, year=year).values_list("project_id", "amount_yuan"))


def _write_optional_number(sheet, row: int, col: int, value: float | None, fmt) -> None:
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


def _formats(book: Any) -> dict:
    grey, yellow = "#E7E6E6", "#FFF9DB"
    base = {"border": 1, "border_color": "#BFBFBF", "valign": "vcenter"}
    return {
        "head": book.add_format({**base, "bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "align": "center"}),
        "head_input": book.add_format({**base, "bold": True, "bg_color": "#F8CBAD", "text_wrap": True,
                                       "align": "center"}),
        "key": book.add_format({**base, "bg_color": grey, "locked": True}),
        "key_money": book.add_format({**base, "bg_color": grey, "locked": True, "num_format": "#,##0.00##"}),
        "key_percent": book.add_format({**base, "bg_color": grey, "locked": True, "num_format": "0.00"}),
        "input": book.add_format({**base, "bg_color": yellow, "locked": False}),
        "input_money": book.add_format({**base, "bg_color": yellow, "locked": False, "num_format": "#,##0.00##"}),
        "input_percent": book.add_format({**base, "bg_color": yellow, "locked": False, "num_format": "0.00"}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "label": book.add_format({"bold": True, "valign": "top"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }


def _add_validations(sheet, *, last_row: int, col: dict[str, int]) -> None:
    amount = col[COL_AMOUNT]
    sheet.data_validation(1, amount, last_row, amount, {
        "validate": "decimal", "criteria": ">=", "value": 0,
        "input_title": "本月完成投资", "input_message": "单位万元，≥0，最多4位小数；本月无投资填0",
        "error_title": "金额有误", "error_message": "请填写不小于0的数字（单位万元）",
    })
    percent = col[COL_PERCENT]
    sheet.data_validation(1, percent, last_row, percent, {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
        "input_title": "完成百分比", "input_message": "0–100之间，最多2位小数（45.5表示45.5%）",
        "error_title": "完成百分比有误", "error_message": "请填写0到100之间的数字",
    })
    started = col[COL_STARTED]
    sheet.data_validation(1, started, last_row, started, {
        "validate": "list", "source": [YES, NO],
        "input_title": "是否开工", "input_message": "请选择“是”或“否”",
        "error_title": "是否开工有误", "error_message": "只能选择“是”或“否”",
    })
    for header in (COL_PROGRESS, COL_NOTES):
        c = col[header]
        sheet.data_validation(1, c, last_row, c, {
            "validate": "length", "criteria": "<=", "value": TEXT_MAX_LENGTH,
            "error_title": f"{header}过长", "error_message": f"{header}最多{TEXT_MAX_LENGTH}字",
        })


def _write_instructions(book: Any, formats: dict, *, unit: Org, period: Period, rows: int) -> None:
    plan = period_plan(period.year, period.month)
    calendar = plan.rules.reporting_calendar
    quality = plan.rules.data_quality
    sheet = book.add_worksheet(INSTRUCTIONS_SHEET)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 90)
    deadline = period.deadline.isoformat() if isinstance(period.deadline, dt.date) else str(period.deadline)
    lines: list[tuple[str, str]] = [
        ("报送期", f"{period.year}年{period.month}月（{period.code}）"),
        ("报送单位", f"{unit.name}（代码 {unit.code}）"),
        ("报送截止日期", f"{deadline}（次月第{calendar.deadline_working_day}个工作日，{calendar.source}）"),
        ("应报项目", f"{rows}个：在建项目、本年计划开工的拟开工项目、本年竣工的项目"),
        ("生成时间", timezone.localtime(clock.real_now()).strftime("%Y-%m-%d %H:%M")),
        *_annual_plan_lines(unit=unit, year=period.year),
        ("", ""),
        ("填报规则", "1. 只填写浅黄色的输入列（本月完成投资、形象进度、完成百分比、是否开工、备注）；"
                     "灰色列已锁定，不得修改，也不要增删行列、修改表头或工作表名称。"),
        ("", "2. 金额单位为万元，不能为负数，最多4位小数（精确到元）；本月没有投资填0。"),
        ("", "3. 本年累计和开工累计由系统按各月填报自动计算，不需要填写。"),
        ("", "4. 完成百分比填0–100之间的数字，最多2位小数；是否开工从下拉列表选择“是”或“否”。"),
        ("", "5. 不要使用公式（请粘贴为数值），不要合并单元格；文件不要设置打开密码。"),
        ("", "6. 导入时先校验全部数据：有任何错误时整份文件都不导入，并逐条列出“第N行 列名：原因”。"),
        ("", f"7. 数据质量提示不影响导入：本年累计超过年度计划、开工累计超过总投资、本月投资超过前"
             f"{quality.spike_window_months}个月平均值的{quality.spike_factor}倍、未开工或已竣工项目填报了投资、"
             f"完成百分比比上月下降。请核实后如实填报。"),
        ("", "8. 提交前可以重复导入，以最后一次为准；单位提交（或市里审核）后不能再导入，"
             "审核后如需更正请提交更正申请。"),
        ("", ""),
        ("列名", "说明"),
    ]
    sheet.write_string(0, 0, f"{unit.name}{period.year}年{period.month}月项目投资进展填报说明", formats["title"])
    row = 2
    for label, text in lines:
        sheet.write_string(row, 0, label, formats["label"])
        sheet.write_string(row, 1, text, formats["wrap"])
        row += 1
    for column in COLUMNS:
        kind = "必填" if column.editable and column.header in (COL_AMOUNT, COL_STARTED) else (
            "选填" if column.editable else "只读")
        sheet.write_string(row, 0, column.header, formats["label"])
        sheet.write_string(row, 1, f"【{kind}】{column.help}", formats["wrap"])
        row += 1


def _write_meta(book: Any, *, unit: Org, period: Period) -> None:
    sheet = book.add_worksheet(META_SHEET)
    values = [(META_KIND, TEMPLATE_KIND), (META_PERIOD, period.code), (META_UNIT, unit.code),
              ("version", FORMAT_VERSION), ("generated_at", clock.real_now().isoformat(timespec="seconds"))]
    for row, (key, value) in enumerate(values):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, value)
    sheet.protect()
    sheet.very_hidden()


STATUS_HEADERS = [("报送单位", 16), ("单位代码", 12), ("报送状态", 10), ("逾期情况", 10), ("提交时间", 17),
                  ("应报项目数", 11), ("已填报行数", 11), ("退回原因", 40), ("审核时间", 17)]
STATUS_LABELS = {"draft": "填报中", "submitted": "已提交待审核", "approved": "已审核锁定", "returned": "已退回"}


def write_status_xlsx(lines: list, out: IO[bytes], *, period_code: str, deadline: dt.date) -> int:
    """The city's submission table of a period (one row per unit the caller may see); returns the row count.

    ``lines`` are :class:`tuijin.reporting.selectors.SubmissionLine` from ``period_dashboard``, already scoped.
    """
    book = new_workbook(out)
    sheet = book.add_worksheet("报送情况")
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True})
    text = book.add_format({"border": 1})
    count = book.add_format({"border": 1, "num_format": "#,##0"})
    late = book.add_format({"border": 1, "font_color": "#B3261E", "bold": True})
    sheet.write(0, 0, f"{period_code} 月度投资进展报送情况（报送截止 {deadline:%Y-%m-%d}）", title)
    for col, (label, width) in enumerate(STATUS_HEADERS):
        sheet.write(2, col, label, head)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(3, 1)
    for row, line in enumerate(lines, start=3):
        s = line.submission
        lateness = "逾期提交" if s.late else ("已逾期未交" if line.overdue else "")
        sheet.write(row, 0, line.unit.short_name, text)
        sheet.write(row, 1, line.unit.code, text)
        sheet.write(row, 2, STATUS_LABELS.get(s.status, s.status), text)
        sheet.write(row, 3, lateness, late if lateness else text)
        sheet.write(row, 4, f"{timezone.localtime(s.submitted_at):%Y-%m-%d %H:%M}" if s.submitted_at else "", text)
        sheet.write_number(row, 5, line.expected, count)
        sheet.write_number(row, 6, line.filled, count)
        sheet.write(row, 7, s.return_reason or "", text)
        sheet.write(row, 8, f"{timezone.localtime(s.reviewed_at):%Y-%m-%d %H:%M}" if s.reviewed_at else "", text)
    book.close()
    return len(lines)
