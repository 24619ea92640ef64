"""Demo step: incentives of 2022 (order 310; 二(六)15–18) — planted cases, the scan, decisions,
applications in every state, and the quarterly evaluations whose awards are budget commitments.

The cases are planted on projects of the generated library (no project or report is added, so the
library and the monthly reports stay exactly the generated ones). ``generate`` picks them, purely
and deterministically, from the generated projects and their approved monthly reports, and records
each case's project name; ``load`` adjusts only the fields named below (audited as the demo):

=================  ===========================================================  ===========================
key                project picked (first by reference number)                   expected / adjusted fields
=================  ===========================================================  ===========================
I-OK               industrial, started 2021–2022, total ≥ 10亿, first-year      interest subsidy (natural;
                   approved FAI ≥ 5亿                                          only when the library has one)
I-NO-LOW           industrial, started 2021-07 … 2022-06, first year < 5亿      none; total raised to ≥ 10亿
I-NO-INFRA         infrastructure, started 2021–2022                            none; total raised to ≥ 10亿
E-OK-LEADING       industrial, completed in 2022, total ≥ 2,000万                equipment award 10%; nature new,
                                                                                a leading industry
E-OK-OTHER         another such project                                         equipment award 5%; nature new,
                                                                                no leading industry
E-NO-EXPANSION     another such project                                         none; nature expansion
E-NO-NOTPROD       industrial, under construction, total ≥ 2,000万               none (not producing); nature new
S-OK               infrastructure, government, started in 2022                  early start; planned 2023-03-01
S-NO-ENTERPRISE    infrastructure, enterprise, started in 2022                  none; planned 2023-03-01
=================  ===========================================================  ===========================

REITs (from the REITs step): R-SCREEN-RESERVE, R-FILE-1, R-ISSUED, R-OPERATING are eligible for the
pre-expense subsidy (R-ISSUED and R-OPERATING also for the issuance award); R-SCREEN-NORESERVE (not in
the national reserve), R-FILE-NOTLOCAL (registered outside the city) and R-PLAN-2 (planning) are not.

Applications (when their case exists): paid (E-OK-LEADING), approved after an earlier one was rejected
with a reason (I-OK), reviewed (E-OK-OTHER), submitted (R-FILE-1) — each with a PDF as evidence. The
scan's proposals for the planted eligible cases are confirmed by 工信局 / 财政局, except
R-SCREEN-RESERVE's, rejected with a reason. If the demo has no stored quarterly evaluation, this step
runs 2022 Q1 and Q2 (``tuijin.assessment``) so that their awards show as budget commitments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import connection

from tuijin.assessment import services as assessment
from tuijin.assessment.models import Evaluation
from tuijin.audit import services as audit
from tuijin.audit.services import build_entry
from tuijin.demo.generate import DEMO_TZ
from tuijin.demo.steps import DemoStep, GenerationContext, LoadContext, register_step
from tuijin.incentives import services
from tuijin.incentives.models import Application, Attachment, Proposal, ProposalStatus
from tuijin.incentives.rules import first_year_window
from tuijin.plan import plan_for
from tuijin.projects.models import Project
from tuijin.reits.models import ReitsEntry
from tuijin.toolkit.errors import ApplicationError

EVERY_RULE = frozenset({"interest_subsidy", "equipment_award", "reits_subsidy", "reits_issuance", "early_start"})
#: key → the rules the scan must propose for the case
EXPECTED: dict[str, tuple[str, ...]] = {
    "I-OK": ("interest_subsidy",), "I-NO-LOW": (), "I-NO-INFRA": (),
    "E-OK-LEADING": ("equipment_award",), "E-OK-OTHER": ("equipment_award",), "E-NO-EXPANSION": (),
    "E-NO-NOTPROD": (), "S-OK": ("early_start",), "S-NO-ENTERPRISE": (),
}
#: key → the rules checked for the case (the others may apply naturally to a library project)
CHECKED: dict[str, frozenset[str]] = {
    "I-OK": frozenset({"interest_subsidy"}), "I-NO-LOW": frozenset({"interest_subsidy"}),
    "I-NO-INFRA": frozenset({"interest_subsidy"}),
    "E-OK-LEADING": frozenset({"equipment_award"}), "E-OK-OTHER": frozenset({"equipment_award"}),
    "E-NO-EXPANSION": frozenset({"equipment_award"}), "E-NO-NOTPROD": frozenset({"equipment_award"}),
    "S-OK": frozenset({"early_start"}), "S-NO-ENTERPRISE": frozenset({"early_start"}),
}
#: REITs entries (keys of the REITs step) and the rules the scan must (not) propose for them.
REITS_EXPECTED = {"R-SCREEN-RESERVE": ("reits_subsidy",), "R-FILE-1": ("reits_subsidy",),
                  "R-ISSUED": ("reits_subsidy", "reits_issuance"), "R-OPERATING": ("reits_subsidy", "reits_issuance"),
                  "R-SCREEN-NORESERVE": (), "R-FILE-NOTLOCAL": (), "R-PLAN-2": ()}
PDF = b"%PDF-1.4\n% tuijin demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HUGE = 100_000  # 10亿 in 万元


@dataclass(frozen=True)
class Planted:
    key: str
    ref: int
    name: str
    changes: tuple[tuple[str, Any], ...] = ()  # field → value, applied by ``load``


def _first_year_fai(projects: Any, reports: Any) -> dict[int, int]:
    windows = {p.ref: first_year_window(p.actual_start) for p in projects if p.actual_start}
    out: dict[int, int] = {}
    for r in reports:
        w = windows.get(r.ref)
        if w is None or r.status != "approved":
            continue
        ym = (int(r.period[:4]), int(r.period[5:7]))
        if w[0] <= ym <= w[1]:
            out[r.ref] = out.get(r.ref, 0) + r.month_yuan
    return out


def generate(ctx: GenerationContext) -> tuple[Planted, ...]:
    projects = ctx.data.get("projects") or ()
    progress = ctx.data.get("progress")
    fai = _first_year_fai(projects, progress.reports if progress else ())
    leading = ctx.facts.leading_industries[0] if getattr(ctx.facts, "leading_industries", None) else "new_materials"
    used: set[int] = set()
    picked: list[Planted] = []

    def pick(key: str, test: Any, changes: tuple[tuple[str, Any], ...] = ()) -> None:
        for p in projects:
            if p.ref not in used and test(p):
                used.add(p.ref)
                picked.append(Planted(key, p.ref, p.name, changes))
                return

    def started(p: Any, years: tuple[int, ...] = (2021, 2022)) -> bool:
        return p.actual_start is not None and p.actual_start.year in years and p.stage in ("construction",
                                                                                            "completed")

    def industrial(p: Any) -> bool:
        return p.category == "industrial"

    pick("I-OK", lambda p: industrial(p) and started(p) and p.total_investment_wan >= HUGE
         and fai.get(p.ref, 0) >= 50_000 * 10_000)
    pick("I-NO-LOW", lambda p: industrial(p) and started(p) and dt.date(2021, 7, 1) <= p.actual_start
         and 0 < fai.get(p.ref, 0) < 50_000 * 10_000, (("total_investment_wan", HUGE),))
    pick("I-NO-INFRA", lambda p: p.category == "infrastructure" and started(p), (("total_investment_wan", HUGE),))
    completed_2022 = lambda p: (industrial(p) and p.stage == "completed" and p.actual_end is not None  # noqa: E731
                                and p.actual_end.year == 2022 and p.total_investment_wan >= 2000)
    pick("E-OK-LEADING", completed_2022, (("nature", "new"), ("leading_industry", leading)))
    pick("E-OK-OTHER", completed_2022, (("nature", "new"), ("leading_industry", "")))
    pick("E-NO-EXPANSION", completed_2022, (("nature", "expansion"),))
    pick("E-NO-NOTPROD", lambda p: industrial(p) and p.stage == "construction" and p.total_investment_wan >= 2000,
         (("nature", "new"),))
    pick("S-OK", lambda p: p.category == "infrastructure" and p.investment_type == "government"
         and started(p, (2022,)), (("planned_start", dt.date(2023, 3, 1)),))
    pick("S-NO-ENTERPRISE", lambda p: p.category == "infrastructure" and p.investment_type == "enterprise"
         and started(p, (2022,)), (("planned_start", dt.date(2023, 3, 1)),))
    return tuple(picked)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=DEMO_TZ)


def load(ctx: LoadContext, planted: tuple[Planted, ...]) -> None:
    by_key: dict[str, Project] = {}
    for case in planted:
        project = Project.objects.select_related("unit").get(pk=ctx.project_ids[case.ref])
        before, after = {}, {}
        for name, value in case.changes:
            field = "total_investment_yuan" if name == "total_investment_wan" else name
            stored = value * 10_000 if name == "total_investment_wan" else value
            if field == "total_investment_yuan":
                stored = max(stored, project.total_investment_yuan)
            before[field], after[field] = getattr(project, field), stored
            setattr(project, field, stored)
        if after:  # the project records its own entry
            with audit.reason(f"演示数据：投资奖补预置案例 {case.key}"):
                Project.objects.filter(pk=project.pk).update(**after)
        by_key[case.key] = project

    result = services.incentives_scan(actor=None, year=2022)
    decided = _decide(ctx, by_key)
    apps, attachments = _applications(ctx, by_key)
    evaluations = _evaluations(ctx)
    ctx.count("incentive_cases", len(planted), "投资奖补预置案例")
    ctx.count("incentive_proposals", result["found"], "奖补线索（免申即享）")
    ctx.count("incentive_decisions", decided, "奖补线索确认/否定")
    ctx.count("incentive_applications", apps, "奖补申请")
    ctx.count("incentive_attachments", attachments, "申请证明材料")
    if evaluations:
        ctx.count("quarterly_evaluations", evaluations, "季度综合评价（奖励计入奖补资金）")
    ctx.audit_batch([build_entry(action="import", object_type="incentives.proposal", object_id="demo",
                                 object_repr="演示数据：投资奖补（预置案例、筛查、申请）",
                                 after={"cases": {c.key: c.name for c in planted}, "proposals": result["found"],
                                        "applications": apps})])


def _reits_projects(ctx: LoadContext) -> dict[str, int]:
    """REITs step key → project id."""
    ids = ctx.data.get("reits_entries", {})
    projects = dict(ReitsEntry.objects.filter(pk__in=ids.values()).values_list("pk", "project_id"))
    return {key: projects[pk] for key, pk in ids.items() if pk in projects}


def _decide(ctx: LoadContext, by_key: dict[str, Project]) -> int:
    gxj, czj = ctx.users.get("gxj"), ctx.users.get("czj")
    reits = _reits_projects(ctx)
    checked = [(p.pk, set(CHECKED[key])) for key, p in by_key.items() if EXPECTED[key]]
    checked += [(pid, {"reits_subsidy", "reits_issuance"}) for key, pid in reits.items() if REITS_EXPECTED.get(key)]
    n = 0
    day = dt.date(2022, 6, 28)
    for project_id, rules in checked:
        for proposal in Proposal.objects.filter(project_id=project_id, rule__in=rules):
            reject = project_id == reits.get("R-SCREEN-RESERVE")
            who = czj if proposal.rule.startswith("reits") or reject else gxj
            with audit.reason("演示数据：奖补线索处理"):  # the update records its own entry
                Proposal.objects.filter(pk=proposal.pk).update(
                    status=ProposalStatus.REJECTED if reject else ProposalStatus.CONFIRMED, decided_by=who,
                    decided_at=_at(day, 15),
                    decision_reason="前期经费票据尚未经第三方审计，待补充后重新核定" if reject else "")
            n += 1
    return n


def _applications(ctx: LoadContext, by_key: dict[str, Project]) -> tuple[int, int]:
    plan = plan_for(ctx.facts.year)
    gxj, czj, fgw = ctx.users.get("gxj"), ctx.users.get("czj"), ctx.users.get("fgw")
    proposals = {(p.project_id, p.rule): p for p in Proposal.objects.all()}
    reits = _reits_projects(ctx)
    rows: list[tuple[Project, str, dict[str, str], str, dt.date]] = []
    if "E-OK-LEADING" in by_key:
        p = by_key["E-OK-LEADING"]
        rows.append((p, "equipment_award", {"equipment": str(min(1500, p.total_investment_yuan // 20_000))}, "paid",
                     D(2022, 5, 25)))
    if "I-OK" in by_key:
        rows.append((by_key["I-OK"], "interest_subsidy", {"loan": "80000"}, "rejected", D(2022, 5, 16)))
        rows.append((by_key["I-OK"], "interest_subsidy", {"loan": "80000"}, "approved", D(2022, 6, 6)))
    if "E-OK-OTHER" in by_key:
        p = by_key["E-OK-OTHER"]
        rows.append((p, "equipment_award", {"equipment": str(min(9000, p.total_investment_yuan // 20_000))},
                     "reviewed", D(2022, 6, 10)))
    if "R-FILE-1" in reits:
        rows.append((Project.objects.select_related("unit").get(pk=reits["R-FILE-1"]), "reits_subsidy",
                     {"pre_expenses": "180"}, "submitted", D(2022, 6, 24)))
    created = []
    for project, rule, inputs, status, day in rows:
        quote, stored = services.application_quote(project=project, rule=rule, period=2022, inputs=inputs)
        if not quote.eligible:
            continue
        submitter = ctx.users.get(project.unit.code) or fgw
        reviewer = fgw if rule.startswith("reits") else gxj
        requested = int(quote.amount_wan * 10_000)
        a = Application(unit_id=project.unit_id, project=project, proposal=proposals.get((project.pk, rule)), rule=rule,
                        period=2022, owner_name=project.owner_name or project.name, owner_uscc=project.owner_uscc,
                        inputs={k: (str(v) if v is not None else None) for k, v in stored.items()},
                        requested_amount_yuan=requested, cap_yuan=int(quote.cap_wan * 10_000), clause=quote.clause,
                        plan_hash=plan.hash, reasons=list(quote.reasons), status=status, submitted_by=submitter,
                        submitted_at=_at(day))
        if status in ("reviewed", "approved", "paid"):
            a.reviewed_by, a.reviewed_at = reviewer, _at(day + dt.timedelta(days=3))
        if status in ("approved", "paid"):
            a.approved_by, a.approved_at, a.approved_amount_yuan = czj, _at(day + dt.timedelta(days=7)), requested
        if status == "paid":
            a.paid_by, a.paid_at = czj, _at(day + dt.timedelta(days=20))
            a.paid_amount_yuan, a.payment_reference = requested, "郑财拨〔2022〕0617号"
        if status == "rejected":
            a.rejected_by, a.rejected_at = gxj, _at(day + dt.timedelta(days=4))
            a.reject_reason = "贷款合同复印件未加盖贷款银行印章，请补正后重新申请"
        created.append(a)
    Application.objects.bulk_create(created)
    attachments = []
    folder = services.attachment_dir()
    for a in created:
        stored_name = secrets.token_hex(16)
        (folder / stored_name).write_bytes(PDF)
        name = {"interest_subsidy": "贷款合同.pdf", "equipment_award": "设备购置发票.pdf"}.get(a.rule, "前期经费支出凭证.pdf")
        attachments.append(Attachment(unit_id=a.unit_id, application=a, kind="evidence", original_name=name,
                                      stored_name=stored_name, content_type="application/pdf", size=len(PDF),
                                      sha256=hashlib.sha256(PDF).hexdigest(), uploaded_by=a.submitted_by,
                                      uploaded_at=a.submitted_at))
    Attachment.objects.bulk_create(attachments)  # both bulk_creates record one entry per row
    return len(created), len(attachments)


D = dt.date


def _evaluations(ctx: LoadContext) -> int:
    """The quarters' composite evaluations (二(六)15), when the demo has none: their awards are commitments."""
    n = 0
    for quarter in (1, 2):
        if Evaluation.objects.filter(year=2022, quarter=quarter).exists():
            continue
        try:
            assessment.evaluation_run(actor=None, year=2022, quarter=quarter)
        except ApplicationError as exc:
            ctx.log(f"  （{quarter}季度综合评价未生成：{exc.message}）")
            continue
        n += 1
    return n


def reset(ctx: LoadContext) -> None:
    folder = services.attachment_dir()
    for stored in Attachment.objects.values_list("stored_name", flat=True):
        (folder / stored).unlink(missing_ok=True)
    for label, key, model in (("申请证明材料", "incentive_attachments", Attachment),
                              ("奖补申请", "incentive_applications", Application),
                              ("奖补线索（免申即享）", "incentive_proposals", Proposal)):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            ctx.count_deleted(key, max(cursor.rowcount, 0), label)


def planted_expectations(planted: tuple[Planted, ...]) -> dict[str, tuple[int, set[str], frozenset[str]]]:
    """Planted case key → (project id, rules the scan must propose, rules checked), for the cases
    ``generate`` picked (found back by their unique names) and the REITs step's entries."""
    ids = dict(Project.objects.filter(name__in=[c.name for c in planted]).values_list("name", "pk"))
    out = {c.key: (ids[c.name], set(EXPECTED[c.key]), CHECKED[c.key]) for c in planted}
    for key, rules in REITS_EXPECTED.items():
        entry = ReitsEntry.objects.filter(notes=f"演示：{key}").first()
        if entry is not None:
            out[key] = (entry.project_id, set(rules), frozenset({"reits_subsidy", "reits_issuance"}))
    return out


register_step(DemoStep(name="incentives", label="投资奖补（预置项目、免申即享筛查、申请、季度奖励）", order=310,
                       generate=generate, load=load, reset=reset))
