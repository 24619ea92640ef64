"""The weekly scheduling meeting (周例会, 二(二)6 "实行要素保障、重大项目建设调度周例会制度").

:func:`agenda` gathers, for the meeting of an ISO week (held on the plan's ``supervision.meeting_weekday``):
new problems (raised in the seven days before the meeting), overdue problems, lagging key projects
(latest approved month, below time progress), overdue approval items, and stalled deals (from the
"stalled_deal" supervision source when one is installed). :func:`write_docx` prints it as a Word
document in the official layout of the bulletins. The meeting's decisions are recorded back as
supervision tasks (:func:`tuijin.supervision.services.meeting_record_decision`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from tuijin.bulletins import document as official
from tuijin.orgs import policy
from tuijin.orgs.policy import Principal
from tuijin.plan import plan_on
from tuijin.problems import rules as problem_rules
from tuijin.problems.models import Problem
from tuijin.projects.models import ApprovalItem, ApprovalStatus
from tuijin.reporting import selectors as reporting
from tuijin.reporting.models import UnitMonthSummary
from tuijin.toolkit.periods import Week, parse_week, period_code

from . import sources
from .models import Meeting, SupervisionTask

LIMIT = 30
SECTION_TITLES = ("一、本周新提交的项目问题", "二、逾期未解决的项目问题", "三、推进滞后的重点项目",
                  "四、逾期未办结的审批事项", "五、推进停滞的招商项目", "六、议定事项")


def meeting_day(week: str) -> dt.date:
    monday, _ = parse_week(week)
    section = plan_on(monday).supervision  # the meeting weekday of the week's own plan
    weekday = section.meeting_weekday if section is not None else 1
    return monday + dt.timedelta(days=weekday - 1)


def _problem_row(p: Problem, day: dt.date) -> dict[str, Any]:
    return {"id": p.pk, "title": p.title, "project": p.project.name, "unit": p.unit.name,
            "category": p.category, "department": p.department.name, "status": p.status,
            "status_label": p.status_label, "raised_on": p.raised_on.isoformat(), "deadline": p.deadline.isoformat(),
            "overdue_working_days": problem_rules.working_days_after(p.deadline, day),
            "escalation_level": p.escalation_level}


def _latest_approved_month(day: dt.date) -> tuple[int, int] | None:
    before = (day.year, day.month)
    for year, month in (UnitMonthSummary.objects.order_by("-period__year", "-period__month")
                        .values_list("period__year", "period__month").distinct()[:36]):
        if (year, month) < before:
            return year, month
    return None


def agenda(*, user: Principal, week: str) -> dict[str, Any]:
    """The agenda of week ``week`` ('2022-W23') as plain data (the page, the JSON and the Word file).

    A command run without ``--as`` reads as SYSTEM."""
    policy.require(user, "read_meetings", message="只有市发展改革委、市领导和市政府督查室可以查看周例会议题")
    day = meeting_day(week)
    plan = plan_on(day)
    category_names = {c.code: c.name for c in plan.rules.problem_deadlines.categories}
    problems = Problem.objects.visible_to(user).select_related("project", "unit", "department")
    new = problems.filter(raised_on__gte=day - dt.timedelta(days=7), raised_on__lt=day).order_by("raised_on", "id")
    overdue = problems.open().filter(deadline__lt=day).order_by("deadline", "id")
    approvals = (ApprovalItem.objects.visible_to(user)
                 .select_related("project__unit", "department")
                 .filter(due_date__lt=day).exclude(status=ApprovalStatus.DONE).order_by("due_date", "id"))

    lagging: list[dict[str, Any]] = []
    lagging_period = _latest_approved_month(day)
    if lagging_period is not None:
        for row in reporting.lagging_key_projects(user=user, year=lagging_period[0], month=lagging_period[1],
                                                  limit=LIMIT):
            lagging.append({"project_id": row["project_id"], "name": row["name"], "unit": row["unit"],
                            "plan_wan": str(row["plan_wan"]), "ytd_wan": str(row["ytd_wan"]),
                            "rate": str(row["rate"]), "time_progress": str(row["time_progress"])})

    registry = sources.discover()
    stalled: list[dict[str, Any]] = []
    stalled_error = ""
    if "stalled_deal" in registry:
        try:
            for item in registry["stalled_deal"](day)[:LIMIT]:
                org = item.get("org")
                stalled.append({"key": str(item.get("key", "")), "title": str(item.get("title", "")),
                                "org": getattr(org, "name", ""), "measure": str(item.get("measure") or ""),
                                "link": str(item.get("link") or "")})
        except Exception as exc:  # the agenda still prints without that section
            stalled_error = f"读取招商项目来源失败（{type(exc).__name__}）"

    def rows(qs) -> list[dict[str, Any]]:
        out = [_problem_row(p, day) for p in qs[:LIMIT]]
        for row in out:
            row["category_name"] = category_names.get(row["category"], row["category"])
        return out

    meeting = Meeting.objects.filter(week=week).first()
    decisions = [] if meeting is None else [
        {"id": t.pk, "title": t.title, "org": t.org.name, "deadline": t.deadline.isoformat(),
         "assignee_name": t.assignee_name}
        for t in SupervisionTask.objects.filter(meeting=meeting).select_related("org").order_by("id")]
    return {
        "week": week,
        "meeting_day": day.isoformat(),
        "new_problems": rows(new), "new_problems_total": new.count(),
        "overdue_problems": rows(overdue), "overdue_problems_total": overdue.count(),
        "lagging_period": period_code(*lagging_period) if lagging_period else None,
        "lagging_projects": lagging,
        "overdue_approvals": [
            {"id": a.pk, "project": a.project.name, "unit": a.project.unit.name, "item": a.name,
             "department": a.department.name if a.department else "", "due_date": a.due_date.isoformat(),
             "status": a.status, "days_overdue": (day - a.due_date).days} for a in approvals[:LIMIT]],
        "overdue_approvals_total": approvals.count(),
        "stalled_deals_available": "stalled_deal" in registry,
        "stalled_deals": stalled,
        "stalled_deals_error": stalled_error,
        "decisions": decisions,
    }


def _title(week: str) -> str:
    return f"全市重大项目建设调度周例会议题（{Week.parse(week).label}）"


def write_docx(data: dict[str, Any], path: Path) -> Path:
    """The agenda as a Word document (A4, official fonts and tables of :mod:`tuijin.bulletins.document`)."""
    document = Document()
    official._setup(document)
    official._page_number_footer(document)
    document.add_paragraph(_title(data["week"]), style="Title")
    day = dt.date.fromisoformat(data["meeting_day"])
    official._body(document, [f"会议时间：{day.year}年{day.month}月{day.day}日。会议听取以下事项的推进情况，"
                              "研究解决项目建设中的困难和问题，议定事项由市政府督查室交办督办。"])

    def problems(title: str, rows: list[dict[str, Any]], total: int, caption: str) -> None:
        document.add_heading(title, level=1)
        if not rows:
            official._body(document, ["无。"])
            return
        official._body(document, [f"共{total}个" + (f"（列出前{len(rows)}个）" if total > len(rows) else "") + "。"])
        official.table(document, caption, ["序号", "问题", "项目", "单位", "责任部门", "办理时限", "状态"],
                       [[i, r["title"], r["project"], r["unit"], r["department"], r["deadline"], r["status_label"]]
                        for i, r in enumerate(rows, start=1)], [1.0, 4.0, 3.6, 1.8, 2.2, 2.2, 1.8], left=(1, 2))

    problems(SECTION_TITLES[0], data["new_problems"], data["new_problems_total"], "表1  本周新提交的项目问题")
    problems(SECTION_TITLES[1], data["overdue_problems"], data["overdue_problems_total"], "表2  逾期未解决的项目问题")

    document.add_heading(SECTION_TITLES[2], level=1)
    if data["lagging_projects"]:
        official._body(document, [f"截至{data['lagging_period']}，本年累计完成投资低于序时进度的重点项目如下。"])
        official.table(document, "表3  推进滞后的重点项目", ["序号", "项目", "单位", "年度计划（万元）", "本年累计（万元）", "完成率（%）"],
                       [[i, r["name"], r["unit"], r["plan_wan"], r["ytd_wan"], r["rate"]]
                        for i, r in enumerate(data["lagging_projects"], start=1)], [1.0, 5.6, 2.0, 2.5, 2.5, 2.0],
                       left=(1,))
    else:
        official._body(document, ["无。"])

    document.add_heading(SECTION_TITLES[3], level=1)
    if data["overdue_approvals"]:
        official._body(document, [f"共{data['overdue_approvals_total']}项。"])
        official.table(document, "表4  逾期未办结的审批事项", ["序号", "项目", "单位", "审批事项", "审批部门", "应办结日期", "逾期天数"],
                       [[i, r["project"], r["unit"], r["item"], r["department"], r["due_date"], r["days_overdue"]]
                        for i, r in enumerate(data["overdue_approvals"], start=1)],
                       [1.0, 4.2, 1.8, 3.2, 2.0, 2.2, 1.6], left=(1, 3))
    else:
        official._body(document, ["无。"])

    document.add_heading(SECTION_TITLES[4], level=1)
    if not data["stalled_deals_available"]:
        official._body(document, ["（招商项目数据尚未接入。）"])
    elif data["stalled_deals"]:
        official.table(document, "表5  推进停滞的招商项目", ["序号", "项目", "责任单位", "建议举措"],
                       [[i, r["title"], r["org"], r["measure"]] for i, r in enumerate(data["stalled_deals"], start=1)],
                       [1.0, 5.6, 2.6, 6.4], left=(1, 3))
    else:
        official._body(document, ["无。"])

    document.add_heading(SECTION_TITLES[5], level=1)
    if data["decisions"]:
        official._body(document, [f"{i}. {d['title']}（责任单位：{d['org']}，办理时限：{d['deadline']}）"
                                  for i, d in enumerate(data["decisions"], start=1)])
    else:
        for _ in range(3):
            line = official._plain_paragraph(document, align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(28))
            official._run(line, "　" * 2 + "_" * 40, size=Pt(14))
    document.core_properties.title = _title(data["week"])
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
