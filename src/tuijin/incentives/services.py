"""Writes of incentives (二(六)15–18): the eligibility scan (免申即享), decisions on proposals, and
applications from claim to payment.

Every write is one transaction in the caller's audit context; proposals, applications and
attachments record their own audit entries with before and after, the services give the reason.
Who may do what:

* the scan: the system (CLI, monthly task) or a city / 工信局 / 财政局 user (the button);
* confirm / reject a proposal: a user of a deciding department (plan: ``rules.incentives``, 工信局, 财政局);
* submit an application and attach evidence: whoever may edit the project (its unit, the city);
* review: the rule's responsible department (工信局 for 贴息 and 设备奖励, 市发展改革委 for REITs);
* approve and pay: 财政局; reject with a reason: the reviewer while submitted, 财政局 until approved.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from stdnum.cn import uscc as uscc_check

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.plan import Plan, current_plan, plan_for, plan_years
from tuijin.projects.models import Project, Stage
from tuijin.reits import selectors as reits
from tuijin.toolkit import clock, fields
from tuijin.toolkit.attachments import sniff
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from tuijin.toolkit.money import wan_to_yuan, yuan_to_wan

from . import presentation, rules, selectors
from .models import (
    LIVE_STATUSES,
    Application,
    ApplicationStatus,
    Attachment,
    Proposal,
    ProposalStatus,
)

APPLICATION_RULES = (rules.INTEREST_SUBSIDY, rules.EQUIPMENT_AWARD, rules.REITS_SUBSIDY, rules.REITS_ISSUANCE)
STATUS_NAMES = {"submitted": "已提交", "reviewed": "已审核", "approved": "已批准", "paid": "已拨付", "rejected": "已退回"}
RULE_NAMES = {"interest_subsidy": "贴息", "equipment_award": "设备投资奖励", "reits_subsidy": "REITs前期经费补助",
              "reits_issuance": "REITs发行奖励", "early_start": "提前开工支持"}
MAX_REASON = 500

#: Evidence types recognised from the file's first bytes (never from its name alone).
DEFAULT_ATTACHMENT_TYPES = ("pdf", "png", "jpeg", "xlsx", "docx")
DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


# --- who ------------------------------------------------------------------------------------------------------


def plan_of_year(year: int) -> Plan:
    """The plan governing ``year``; a year without a plan file (a later year of a multi-year subsidy)
    is governed by the latest plan before it."""
    years = plan_years()
    earlier = [y for y in years if y <= int(year)]
    return plan_for(earlier[-1] if earlier else years[0])


def _incentives_rule():
    rule = current_plan().rules.incentives
    if rule is None:
        raise ValidationFailed("方案文件未配置投资奖补（rules.incentives）")
    return rule


def deciding_departments() -> tuple[str, ...]:
    """The departments that confirm or reject proposals (工信局, 财政局), from the plan."""
    return tuple(_incentives_rule().deciding_departments)


def approving_department() -> str:
    """The department that approves and pays (财政局), from the plan."""
    return _incentives_rule().approving_department


def reviewing_department(rule: str) -> str:
    return _incentives_rule().reviewing_departments.get(rule, _incentives_rule().approving_department)


# --- the scan (免申即享) ---------------------------------------------------------------------------------------


def _quote_to_values(quote: rules.Quote) -> dict[str, Any]:
    return {"cap_yuan": wan_to_yuan(quote.cap_wan), "years": quote.years, "clause": quote.clause,
            "reasons": list(quote.reasons)}


def scan_findings(*, year: int, progress: Callable[..., None] | None = None) -> list[dict[str, Any]]:
    """What the data supports for ``year`` (二(六)15–18): one finding per eligible project and rule,
    with the facts used and links, under ``year``'s own plan. Pure reads; :func:`incentives_scan` stores them."""
    plan = plan_for(year)
    r = plan.rules
    found: list[dict[str, Any]] = []
    candidates = selectors.scan_candidates(user=policy.SYSTEM, year=year)
    reits_entries = list(reits.scan_entries(user=policy.SYSTEM))
    total = sum(len(v) for v in candidates.values()) + len(reits_entries)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, f"已检查 {done}/{total}")

    # 二(六)16: first-year actual FAI from approved monthly reports.
    interest = candidates["interest_subsidy"]
    fai = selectors.first_year_fai(user=policy.SYSTEM, project_ids=[p.pk for p in interest],
                               starts={p.pk: p.actual_start for p in interest})
    for p in interest:
        tick()
        f = fai.get(p.pk, {"yuan": 0, "months": 0, "window": rules.first_year_window(p.actual_start)})
        first_year = yuan_to_wan(f["yuan"])
        quote = rules.interest_subsidy(r.interest_subsidy, total_wan=p.total_investment, first_year_wan=first_year,
                                       loan_wan=Decimal(0))
        if not quote.eligible:
            continue
        (fy, fm), (ly, lm) = f["window"]
        link = presentation.project_link(p.pk)
        facts = [presentation.fact("总投资（万元）", rules.fmt(p.total_investment), link),
                 presentation.fact("实际开工日期", f"{p.actual_start:%Y-%m-%d}", link),
                 presentation.fact("开工后一年内实际完成投资（万元，已审核月报）", rules.fmt(first_year),
                                f"/reporting/?project={p.pk}"),
                 presentation.fact("统计月份", f"{fy}-{fm:02d}—{ly}-{lm:02d}（{f['months']}个月）"),
                 presentation.fact("项目类别", _category_name(plan, p.category))]
        tier_reasons = [reason for reason in quote.reasons if "贷款本金" not in reason]  # no loan is known yet
        found.append({"project": p, "rule": rules.INTEREST_SUBSIDY, "amount_yuan": None, "facts": facts,
                      **_quote_to_values(quote),
                      "reasons": [*tier_reasons, "贴息金额按贷款合同核定，请项目单位提交贷款合同申请"]})

    # 二(六)17: new industrial projects in production in the year (completed, or reported in production).
    equipment = candidates["equipment_award"]
    reported = selectors.reported_production(user=policy.SYSTEM,
                                             project_ids=[p.pk for p in equipment if p.actual_end is None], year=year)
    for p in equipment:
        tick()
        producing_on = p.actual_end if p.actual_end and p.actual_end.year == year else None
        producing_report = reported.get(p.pk)
        if producing_on is None and producing_report is None:
            continue
        leading = bool(p.leading_industry)
        quote = rules.equipment_award(r.equipment_award, total_wan=p.total_investment, equipment_wan=Decimal(0),
                                      leading=leading, nature=p.nature, producing=True, category=p.category)
        if not quote.eligible:
            continue
        link = presentation.project_link(p.pk)
        industry = _leading_name(plan, p.leading_industry) if leading else "非主导产业"
        facts = [presentation.fact("总投资（万元）", rules.fmt(p.total_investment), link),
                 presentation.fact("项目性质", rules.NATURE_NAMES.get(p.nature, p.nature), link),
                 presentation.fact("主导产业", industry, link),
                 presentation.fact("投产依据", f"竣工投产 {producing_on:%Y-%m-%d}" if producing_on
                                else f"{producing_report} 月报填报已投产", link),
                 presentation.fact("奖励比例", f"{quote.details.get('rate_percent')}%")]
        found.append({"project": p, "rule": rules.EQUIPMENT_AWARD, "amount_yuan": None, "facts": facts,
                      **_quote_to_values(quote),
                      "reasons": [*quote.reasons, "奖励金额按生产和技术设备投资发票核定，请项目单位提交设备发票申请"]})

    # 二(六)18: REITs pipeline facts.
    for entry in reits_entries:
        tick()
        p = entry.project
        link = reverse_reits(entry.pk)
        base = [presentation.fact("REITs阶段", _stage_name(plan, entry.stage), link),
                presentation.fact("纳入国家储备库", "是" if entry.in_national_reserve else "否", link),
                presentation.fact("原始权益人注册地在本市", "是" if entry.registered_locally else "否", link)]
        pre = rules.reits_subsidy(r.reits, pre_expenses_wan=entry.pre_expenses_wan,
                                  in_reserve=entry.in_national_reserve, registered_locally=entry.registered_locally)
        if pre.eligible and entry.pre_expenses_yuan > 0:
            found.append({"project": p, "rule": rules.REITS_SUBSIDY, "amount_yuan": wan_to_yuan(pre.amount_wan),
                          "facts": [*base, presentation.fact("前期经费（万元）", rules.fmt(entry.pre_expenses_wan), link)],
                          **_quote_to_values(pre)})
        issued = entry.stage in reits.ISSUED_STAGES and entry.issue_date is not None \
            and entry.issue_date.year <= year
        if pre.eligible and issued:
            award = Decimal(r.reits.issuance_award_wan)
            found.append({"project": p, "rule": rules.REITS_ISSUANCE, "amount_yuan": wan_to_yuan(award),
                          "facts": [*base, presentation.fact("发行日期", f"{entry.issue_date:%Y-%m-%d}", link),
                                    presentation.fact("发行规模（万元）", rules.fmt(yuan_to_wan(entry.issue_amount_yuan or 0)),
                                                   link)],
                          "cap_yuan": wan_to_yuan(award), "years": None, "clause": r.reits.source,
                          "reasons": [f"成功发行基础设施REITs产品，奖励{rules.fmt(award)}万元"]})

    # 二(六)15: infrastructure brought forward to the plan year.
    for p in candidates["early_start"]:
        tick()
        quote = rules.early_start(r.early_start, category=p.category, investment_type=p.investment_type,
                                  planned_start=p.planned_start, actual_start=p.actual_start)
        if not quote.eligible:
            continue
        link = presentation.project_link(p.pk)
        facts = [presentation.fact("规划开工时间", f"{p.planned_start:%Y-%m-%d}", link),
                 presentation.fact("实际开工日期", f"{p.actual_start:%Y-%m-%d}", link),
                 presentation.fact("投资类型", "政府投资" if p.investment_type == "government" else p.investment_type)]
        found.append({"project": p, "rule": rules.EARLY_START, "amount_yuan": None, "facts": facts,
                      **_quote_to_values(quote)})
    if progress is not None:
        progress(total, total, "检查完成")
    return found


def reverse_reits(entry_id: int) -> str:
    from django.urls import reverse

    return reverse("reits:detail", args=[entry_id])


def _stage_name(plan: Plan, code: str) -> str:
    try:
        return plan.rules.reits_pipeline.name(code)
    except KeyError:
        return code


def _category_name(plan: Plan, code: str) -> str:
    for item in plan.categories:
        if item.code == code:
            return item.name
    return code


def _leading_name(plan: Plan, code: str) -> str:
    for item in plan.leading_industries:
        if item.code == code:
            return item.name
    return code


def incentives_scan(*, actor: User | None, year: int, progress: Callable[..., None] | None = None) -> dict[str, Any]:
    """Store what :func:`scan_findings` found as proposals (免申即享). Re-running never duplicates:
    one proposal per project and rule; an undecided one is refreshed, a decided one kept. Audited."""
    if actor is not None and not policy.can(policy.acting(actor), "act_for_city_or_department", deciding_departments()):
        raise PermissionRefused("只有市发展改革委、市工信局或市财政局可以运行奖补筛查")
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed("年度应在2000—2100之间", field="year")
    plan = plan_for(year)
    findings = scan_findings(year=year, progress=progress)
    created = updated = unchanged = kept = 0
    by_rule: dict[str, int] = {}
    now = clock.now()  # found / last scanned: the business moment of the scan
    with transaction.atomic():
        existing = {(p.project_id, p.rule): p for p in Proposal.objects.select_for_update()
                    .filter(project_id__in=[f["project"].pk for f in findings])}
        for f in findings:
            project = f["project"]
            by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
            values = {"facts": {"items": f["facts"]}, "reasons": f["reasons"], "amount_yuan": f["amount_yuan"],
                      "cap_yuan": f["cap_yuan"], "years": f["years"], "clause": f["clause"], "plan_hash": plan.hash}
            proposal = existing.get((project.pk, f["rule"]))
            if proposal is None:
                proposal = Proposal(unit=project.unit, project=project, rule=f["rule"], year=year, found_at=now,
                                    refreshed_at=now, **values)
                proposal.full_clean()
                with audit.reason(f"{year}年奖补筛查（免申即享）"):
                    proposal.save()
                created += 1
                continue
            if proposal.status != ProposalStatus.PROPOSED:
                kept += 1
                continue
            before = audit.snapshot(proposal, Proposal.audit_fields)
            for key, value in values.items():
                setattr(proposal, key, value)
            if audit.snapshot(proposal, Proposal.audit_fields) == before:
                unchanged += 1
                continue
            proposal.refreshed_at = now
            proposal.full_clean()
            with audit.reason(f"{year}年奖补筛查：事实更新"):
                proposal.save()
            updated += 1
    return {"year": year, "found": len(findings), "created": created, "updated": updated, "unchanged": unchanged,
            "decided_kept": kept, "by_rule": by_rule}


@transaction.atomic
def proposal_decide(*, actor: User, proposal_id: int, confirm: bool, reason: str = "") -> Proposal:
    """Confirm or reject a proposal (工信局 / 财政局); a rejection needs a reason. Audited."""
    proposal = selectors.proposal_get(user=actor, proposal_id=proposal_id)
    if not policy.can(policy.acting(actor), "act_for_department", deciding_departments()):
        raise PermissionRefused("只有市工信局、市财政局可以确认或否定奖补线索")
    reason = str(reason or "").strip()
    if not confirm and not reason:
        raise ValidationFailed("否定奖补线索须填写理由", field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(f"理由最多{MAX_REASON}字", field="reason")
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PROPOSED:
        raise Conflict(f"该奖补线索已{'确认' if proposal.status == ProposalStatus.CONFIRMED else '否定'}，不能重复处理")
    proposal.status = ProposalStatus.CONFIRMED if confirm else ProposalStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = clock.now()
    proposal.decision_reason = reason
    proposal.full_clean()
    with audit.reason(f"奖补线索{'确认' if confirm else '否定'}：{reason}".rstrip("：")):
        proposal.save()
    return proposal


# --- applications ---------------------------------------------------------------------------------------------


def _producing(project: Project, year: int) -> bool:
    if project.actual_end is not None or project.stage == Stage.COMPLETED:
        return True
    return bool(selectors.reported_production(user=policy.SYSTEM, project_ids=[project.pk], year=year))


def application_quote(*, project: Project, rule: str, period: int, inputs: dict[str, Any]) -> tuple[rules.Quote,
                                                                                                     dict[str, Any]]:
    """The rule's result for an application: declared figures (loan, equipment, pre-expenses) plus the
    platform's facts (total, first-year FAI, leading industry, production, REITs flags)."""
    r = plan_of_year(period).rules  # an application year's awards are that year's plan's
    errors: dict[str, list[str]] = {}
    stored: dict[str, Any] = {}
    if rule == rules.INTEREST_SUBSIDY:
        loan = fields.collect(errors, fields.money_wan, inputs.get("loan"), field="loan", label="贷款本金（万元）",
                              words=fields.LABELLED)
        rate = fields.collect(errors, fields.money_wan, inputs.get("rate"), field="rate", label="基准利率（%）",
                              words=fields.LABELLED, required=False)
        if rate is not None and not 0 < rate <= 100:
            errors.setdefault("rate", []).append("基准利率（%）：应大于0且不超过100")
        if errors:
            raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
        if project.actual_start is None:
            raise ValidationFailed("项目尚未开工，不能申请贴息", field="project")
        fai = selectors.first_year_fai(user=policy.SYSTEM, project_ids=[project.pk],
                                       starts={project.pk: project.actual_start})[project.pk]
        first_year = yuan_to_wan(fai["yuan"])
        stored = {"loan": str(loan), "rate": str(rate) if rate is not None else None,
                  "first_year": str(first_year), "total": str(project.total_investment)}
        quote = rules.interest_subsidy(r.interest_subsidy, total_wan=project.total_investment,
                                       first_year_wan=first_year, loan_wan=loan, rate_percent=rate,
                                       manufacturing=project.category in r.interest_subsidy.manufacturing_categories)
    elif rule == rules.EQUIPMENT_AWARD:
        equipment = fields.collect(errors, fields.money_wan, inputs.get("equipment"), field="equipment",
                                   label="生产和技术设备投资（万元）", words=fields.LABELLED)
        if equipment is not None and equipment > project.total_investment:
            errors.setdefault("equipment", []).append("生产和技术设备投资（万元）：不应超过项目总投资")
        if errors:
            raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
        stored = {"equipment": str(equipment), "total": str(project.total_investment),
                  "leading_industry": project.leading_industry, "nature": project.nature}
        quote = rules.equipment_award(r.equipment_award, total_wan=project.total_investment, equipment_wan=equipment,
                                      leading=bool(project.leading_industry), nature=project.nature,
                                      producing=_producing(project, period), category=project.category)
    elif rule in (rules.REITS_SUBSIDY, rules.REITS_ISSUANCE):
        entry = reits.entry_for_project(user=policy.SYSTEM, project=project)
        if entry is None:
            raise ValidationFailed("该项目不在REITs项目库中", field="project")
        if rule == rules.REITS_SUBSIDY:
            pre = fields.collect(errors, fields.money_wan, inputs.get("pre_expenses"), field="pre_expenses",
                                 label="前期经费实际支出（万元）", words=fields.LABELLED)
            if errors:
                raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
            stored = {"pre_expenses": str(pre)}
            quote = rules.reits_subsidy(r.reits, pre_expenses_wan=pre, in_reserve=entry.in_national_reserve,
                                        registered_locally=entry.registered_locally)
        else:
            issued = entry.stage in reits.ISSUED_STAGES
            base = rules.reits_subsidy(r.reits, pre_expenses_wan=Decimal(0), in_reserve=entry.in_national_reserve,
                                       registered_locally=entry.registered_locally, issued=issued)
            award = Decimal(r.reits.issuance_award_wan)
            reasons = list(base.reasons) if not base.eligible else []
            if not issued:
                reasons.append("REITs产品尚未成功发行")
            quote = rules.Quote(rules.REITS_ISSUANCE, not reasons, award if not reasons else Decimal(0),
                                award if not reasons else Decimal(0), None, r.reits.source,
                                tuple(reasons) or (f"成功发行基础设施REITs产品，奖励{rules.fmt(award)}万元",))
            stored = {"issue_date": entry.issue_date, "stage": entry.stage}
    else:
        raise ValidationFailed(f"规则应为：{'、'.join(APPLICATION_RULES)}", field="rule")
    return quote, stored


@transaction.atomic
def application_submit(*, actor: User, project_id: int, rule: str, period: int, inputs: dict[str, Any],
                       owner_name: str = "", owner_uscc: str = "", proposal_id: int | None = None) -> Application:
    """A claim with evidence to follow (二(六)16–18): computed by the rule from the declared figures and
    the platform's facts; refused when not eligible, or when the project already has a live application
    for this rule and period (never paid twice). Audited."""
    project = Project.objects.visible_to(actor).select_related("unit").filter(pk=project_id).first()
    if project is None:
        raise NotFound("项目不存在，或不在您的查看范围内", field="project")
    if not Project.objects.editable_by(actor).filter(pk=project_id).exists():
        raise PermissionRefused("只有项目所属单位可以提交奖补申请")
    if rule not in APPLICATION_RULES:
        raise ValidationFailed(f"规则应为：{'、'.join(APPLICATION_RULES)}", field="rule")
    try:
        period = int(period)
    except (TypeError, ValueError):
        raise ValidationFailed("申请年度应为四位年份", field="period") from None
    if not 2000 <= period <= 2100:
        raise ValidationFailed("申请年度应在2000—2100之间", field="period")
    owner_name = str(owner_name or project.owner_name or "").strip()
    owner_uscc = str(owner_uscc or project.owner_uscc or "").strip().upper()
    if not owner_name:
        raise ValidationFailed("请填写项目单位（业主）名称", field="owner_name")
    if owner_uscc and not uscc_check.is_valid(owner_uscc):
        raise ValidationFailed("统一社会信用代码无效（应为18位并通过校验）", field="owner_uscc")
    proposal = None
    if proposal_id is not None:
        proposal = Proposal.objects.filter(pk=proposal_id, project=project, rule=rule).first()
        if proposal is None:
            raise ValidationFailed("关联的奖补线索不存在或与项目、规则不符", field="proposal")
        if proposal.status == ProposalStatus.REJECTED:
            raise Conflict("关联的奖补线索已被否定", field="proposal")
    live = Application.objects.select_for_update().filter(project=project, rule=rule, period=period,
                                                          status__in=LIVE_STATUSES).first()
    if live is not None:
        raise Conflict(f"该项目{period}年度已有{RULE_NAMES[rule]}申请（{STATUS_NAMES[live.status]}），"
                       "同一项目同一规则同一期间不能重复申请或重复拨付", field="period")
    quote, stored = application_quote(project=project, rule=rule, period=period, inputs=inputs)
    if not quote.eligible:
        raise ValidationFailed("不符合奖补条件：" + "；".join(quote.reasons), field="rule",
                               extra={"reasons": list(quote.reasons)})
    plan = plan_of_year(period)
    application = Application(
        unit=project.unit, project=project, proposal=proposal, rule=rule, period=period, owner_name=owner_name[:200],
        owner_uscc=owner_uscc, inputs=audit._json_value(stored), requested_amount_yuan=wan_to_yuan(quote.amount_wan),
        cap_yuan=wan_to_yuan(quote.cap_wan), clause=quote.clause, plan_hash=plan.hash, reasons=list(quote.reasons),
        submitted_by=actor, submitted_at=clock.now())
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic(), audit.reason(f"提交{RULE_NAMES[rule]}申请"):
            application.save()
    except IntegrityError as exc:
        raise Conflict("同一项目同一规则同一期间已有申请，不能重复申请或重复拨付", field="period") from exc
    return application


def _locked(actor: User, application_id: int) -> Application:
    found = selectors.application_get(user=actor, application_id=application_id)
    # Lock the project first: approvals of several applications of one project serialise on it.
    Project.objects.select_for_update().filter(pk=found.project_id).first()
    return Application.objects.select_for_update().select_related("project").get(pk=found.pk)


def _transition(application: Application, *, reason: str) -> Application:
    application.full_clean(validate_constraints=False)
    with audit.reason(reason):
        application.save()
    return application


@transaction.atomic
def application_review(*, actor: User, application_id: int, note: str = "") -> Application:
    """The responsible department checks the evidence: submitted → reviewed. Audited."""
    application = _locked(actor, application_id)
    if not policy.can(policy.acting(actor), "act_for_department", reviewing_department(application.rule)):
        raise PermissionRefused(f"{RULE_NAMES[application.rule]}申请由责任部门审核")
    if application.status != ApplicationStatus.SUBMITTED:
        raise Conflict(f"申请{STATUS_NAMES[application.status]}，只有已提交的申请可以审核")
    if not application.attachments.exists():
        raise ValidationFailed("申请尚无证明材料，请项目单位先上传附件", field="attachments")
    application.status = ApplicationStatus.REVIEWED
    application.reviewed_by = actor
    application.reviewed_at = clock.now()
    return _transition(application, reason=f"责任部门审核通过{('：' + note) if note else ''}"[:500])


@transaction.atomic
def application_approve(*, actor: User, application_id: int, amount_wan: Any = None, case_by_case: bool = False,
                        case_by_case_reason: str = "") -> Application:
    """财政局 approves: reviewed → approved, with an amount that keeps the project's approved total
    under the rule's cap across all its applications (the project row is locked while counting).
    ``case_by_case`` (一事一议, 二(六)17): an amount set by hand with a mandatory reason. Audited."""
    application = _locked(actor, application_id)
    if not policy.can(policy.acting(actor), "act_for_department", approving_department()):
        raise PermissionRefused("奖补资金由市财政局批准")
    if application.status != ApplicationStatus.REVIEWED:
        raise Conflict(f"申请{STATUS_NAMES[application.status]}，只有已审核的申请可以批准")
    errors: dict[str, list[str]] = {}
    amount = fields.collect(errors, fields.money_wan, amount_wan, field="amount_wan", label="批准金额（万元）",
                            words=fields.LABELLED, required=False)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    reason = str(case_by_case_reason or "").strip()
    if case_by_case:
        if application.rule != rules.EQUIPMENT_AWARD:
            raise ValidationFailed("一事一议仅适用于重大工业项目（设备投资奖励）", field="case_by_case")
        if not reason:
            raise ValidationFailed("一事一议须填写理由", field="case_by_case_reason")
        if amount is None:
            raise ValidationFailed("一事一议须填写批准金额", field="amount_wan")
        approved = wan_to_yuan(amount)
        application.case_by_case = True
        application.case_by_case_reason = reason[:500]
    else:
        already = selectors.committed_for(user=policy.SYSTEM, project_id=application.project_id, rule=application.rule,
                                          exclude_id=application.pk)
        remaining = application.cap_yuan - already
        if remaining <= 0:
            raise Conflict(f"该项目{RULE_NAMES[application.rule]}已批准{rules.fmt(yuan_to_wan(already))}万元，"
                           f"已达上限{rules.fmt(application.cap_wan)}万元，不能再批准")
        approved = min(application.requested_amount_yuan, remaining) if amount is None else wan_to_yuan(amount)
        if approved > remaining:
            raise ValidationFailed(f"批准金额超过剩余额度：上限{rules.fmt(application.cap_wan)}万元，"
                                   f"已批准{rules.fmt(yuan_to_wan(already))}万元，"
                                   f"最多还可批准{rules.fmt(yuan_to_wan(remaining))}万元", field="amount_wan")
        if approved > application.requested_amount_yuan:
            raise ValidationFailed("批准金额不能超过申请金额", field="amount_wan")
    application.approved_amount_yuan = approved
    application.status = ApplicationStatus.APPROVED
    application.approved_by = actor
    application.approved_at = clock.now()
    return _transition(application, reason=f"市财政局批准{rules.fmt(yuan_to_wan(approved))}万元"
                       + (f"（一事一议：{reason}）" if case_by_case else ""))


@transaction.atomic
def application_pay(*, actor: User, application_id: int, reference: str = "") -> Application:
    """财政局 records the payment: approved → paid, once. Audited."""
    application = _locked(actor, application_id)
    if not policy.can(policy.acting(actor), "act_for_department", approving_department()):
        raise PermissionRefused("奖补资金由市财政局拨付")
    if application.status == ApplicationStatus.PAID:
        raise Conflict("该申请已拨付，不能重复拨付")
    if application.status != ApplicationStatus.APPROVED:
        raise Conflict(f"申请{STATUS_NAMES[application.status]}，只有已批准的申请可以拨付")
    paid_same = Application.objects.filter(project_id=application.project_id, rule=application.rule,
                                           period=application.period, status=ApplicationStatus.PAID)
    if paid_same.exclude(pk=application.pk).exists():
        raise Conflict("该项目同一规则同一期间已拨付，不能重复拨付")
    application.status = ApplicationStatus.PAID
    application.paid_amount_yuan = application.approved_amount_yuan
    application.payment_reference = str(reference or "").strip()[:64]
    application.paid_by = actor
    application.paid_at = clock.now()
    return _transition(application,
                       reason=f"拨付{rules.fmt(application.paid_amount_wan)}万元 {application.payment_reference}".strip())


@transaction.atomic
def application_reject(*, actor: User, application_id: int, reason: str) -> Application:
    """Reject with a reason: the reviewing department while submitted, 财政局 until approved. Audited."""
    application = _locked(actor, application_id)
    reason = str(reason or "").strip()
    if application.status == ApplicationStatus.SUBMITTED:
        allowed = policy.can(policy.acting(actor), "act_for_department", reviewing_department(application.rule)) or policy.can(policy.acting(actor), "act_for_department", approving_department())
    elif application.status == ApplicationStatus.REVIEWED:
        allowed = policy.can(policy.acting(actor), "act_for_department", approving_department())
    else:
        raise Conflict(f"申请{STATUS_NAMES[application.status]}，不能退回")
    if not allowed:
        raise PermissionRefused("您无权退回该申请")
    if not reason:
        raise ValidationFailed("退回申请须填写理由", field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(f"理由最多{MAX_REASON}字", field="reason")
    application.status = ApplicationStatus.REJECTED
    application.reject_reason = reason
    application.rejected_by = actor
    application.rejected_at = clock.now()
    return _transition(application, reason=f"退回：{reason}")


# --- attachments ----------------------------------------------------------------------------------------------


def attachment_dir() -> Path:
    """Evidence files: under ``VAR_DIR/private/incentives`` — never under STATIC_ROOT or MEDIA_ROOT."""
    path = Path(getattr(settings, "INCENTIVE_ATTACHMENT_DIR", Path(settings.VAR_DIR) / "private" / "incentives"))
    path.mkdir(parents=True, exist_ok=True)
    return path


CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def attachment_add(*, actor: User, application_id: int, upload: Any, kind: str = "") -> Attachment:
    """Store one evidence file under a random name; size and type (from the content) limited by
    settings ``INCENTIVE_ATTACHMENT_MAX_BYTES`` and ``INCENTIVE_ATTACHMENT_TYPES``. Audited."""
    application = selectors.application_get(user=actor, application_id=application_id)
    if not Application.objects.editable_by(actor).filter(pk=application.pk).exists():
        raise PermissionRefused("只有项目所属单位可以上传证明材料")
    if application.status != ApplicationStatus.SUBMITTED:
        raise Conflict("只有已提交、尚未审核的申请可以补充材料")
    max_bytes = int(getattr(settings, "INCENTIVE_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES))
    allowed = tuple(getattr(settings, "INCENTIVE_ATTACHMENT_TYPES", DEFAULT_ATTACHMENT_TYPES))
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise ValidationFailed("附件为空", field="file")
    if size > max_bytes:
        raise ValidationFailed(f"附件超过大小上限{max_bytes // (1024 * 1024)}MB", field="file")
    original = Path(str(getattr(upload, "name", "") or "附件")).name[:200]
    stored_name = secrets.token_hex(16)
    target = attachment_dir() / stored_name
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    real = sniff(target)
    if real is None or real not in allowed:
        target.unlink(missing_ok=True)
        names = "、".join(t.upper() for t in allowed)
        raise ValidationFailed(f"附件类型不受支持（按文件内容识别），允许：{names}", field="file")
    try:
        with transaction.atomic():
            attachment = Attachment(unit=application.unit, application=application, kind=str(kind or "")[:32],
                                    original_name=original, stored_name=stored_name, content_type=CONTENT_TYPES[real],
                                    size=size, sha256=digest.hexdigest(), uploaded_by=actor)
            attachment.full_clean()
            with audit.reason("上传奖补申请证明材料"):
                attachment.save()
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return attachment


def attachment_path(attachment: Attachment) -> Path:
    return attachment_dir() / attachment.stored_name

