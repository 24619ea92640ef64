"""Reads of the special-bond module, always given the user (scoped by ``visible_to``).

The evaluation's ranks and scores are aggregates every business user may read, reporting units
included (DESIGN §4.2); the project rows (quota, issued, spent) are scoped to the user's unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.orgs.policy import Principal
from tuijin.toolkit import clock
from tuijin.toolkit.errors import NotFound, ValidationFailed
from tuijin.toolkit.periods import month_end, time_progress

from . import plan_terms, rules
from .models import (
    ApplicationStatus,
    BondBatch,
    BondIssuance,
    BondQuota,
    BondSpending,
    ComplianceViolation,
    SupplementaryApplication,
)

CLAUSE = "二(二)8"


READ_REFUSAL = "您的角色不能查看专项债券数据"


def check_year_month(*, user: Principal, year: Any, month: Any = None) -> tuple[int, int]:
    """Year and month as integers; without a month, the latest month with bond spending recorded
    (any unit's: every reader of bond data evaluates the same month)."""
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed(f"年份应为4位数字，实际为“{year}”", field="year") from None
    if not 2000 <= y <= 2100:
        raise ValidationFailed(f"年份超出范围：{y}", field="year")
    if month in (None, ""):
        # The latest month with spending recorded, else December of a past year or this month.
        today = clock.today()
        latest = BondSpending.objects.filter(year=y).order_by("-month").values_list("month", flat=True).first()
        m = latest or (12 if y < today.year else max(1, today.month))
    else:
        try:
            m = int(month)
        except (TypeError, ValueError):
            raise ValidationFailed(f"月份应为1–12，实际为“{month}”", field="month") from None
        if not 1 <= m <= 12:
            raise ValidationFailed(f"月份应为1–12，实际为“{month}”", field="month")
    return y, m


@dataclass
class EvaluationRow:
    org: Org
    quota_yuan: int
    facts: rules.BondFacts
    score: rules.BondScore

    @property
    def spending_rate(self) -> Decimal | None:
        if not self.facts.issued_yuan:
            return None
        return (Decimal(self.facts.spent_yuan) * 100 / Decimal(self.facts.issued_yuan)).quantize(Decimal("0.01"))


@dataclass
class Evaluation:
    year: int
    month: int
    rows: list[EvaluationRow] = field(default_factory=list)
    plan_hash: str = ""
    clause: str = CLAUSE

    @property
    def time_progress(self) -> Decimal:
        return time_progress(self.month)

    @property
    def talk_rows(self) -> list[EvaluationRow]:
        return [r for r in self.rows if r.score.talk]


def unit_facts(*, user: Principal, year: int, month: int) -> tuple[dict[str, int], dict[str, rules.BondFacts]]:
    """Quota and the evaluation's facts per unit code (units with a quota in ``year``), as of month end:
    aggregates of every unit, which every reader of bond data sees (DESIGN §4.2)."""
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    end = month_end(year, month)
    quota = dict(BondQuota.objects.filter(batch__year=year).values("unit__code").annotate(s=Sum("amount_yuan"))
                 .values_list("unit__code", "s"))
    issued = dict(BondIssuance.objects.filter(quota__batch__year=year, issued_on__lte=end)
                  .values("unit__code").annotate(s=Sum("amount_yuan")).values_list("unit__code", "s"))
    spent = dict(BondSpending.objects.filter(year=year, month__lte=month).values("unit__code")
                 .annotate(s=Sum("amount_yuan")).values_list("unit__code", "s"))
    apps = {row["unit__code"]: row for row in SupplementaryApplication.objects.filter(
        year=year, submitted_on__lte=end).values("unit__code").annotate(
        reviewed=Count("id", filter=Q(status__in=[ApplicationStatus.PASSED, ApplicationStatus.REJECTED],
                                      reviewed_on__lte=end)),
        passed=Count("id", filter=Q(status=ApplicationStatus.PASSED, reviewed_on__lte=end)))}
    violations = dict(ComplianceViolation.objects.filter(occurred_on__year=year, occurred_on__lte=end)
                      .values("unit__code").annotate(n=Count("id")).values_list("unit__code", "n"))
    facts = {
        code: rules.BondFacts(issued_yuan=issued.get(code) or 0, spent_yuan=spent.get(code) or 0,
                              reviewed=apps.get(code, {}).get("reviewed", 0), passed=apps.get(code, {}).get("passed", 0),
                              violations=violations.get(code, 0))
        for code in quota
    }
    return quota, facts


def evaluation(*, user: Principal, year: int, month: int) -> Evaluation:
    """The bond evaluation of every unit with a quota in ``year``, as of the end of ``month`` (二(二)8),
    under that month's plan (its hash is kept on the result).

    Bulletins, supervision sources and jobs read as ``policy.SYSTEM``."""
    quota, facts = unit_facts(user=user, year=year, month=month)
    if not facts:  # no quota in the year (perhaps a year without a plan): nothing to evaluate
        return Evaluation(year=year, month=month)
    plan = plan_terms.plan_of(year, month)
    scores = rules.bond_evaluation(facts, month=month, rule=plan.rules.bond_evaluation)
    orgs = {o.code: o for o in Org.objects.filter(code__in=list(facts))}
    result = Evaluation(year=year, month=month, plan_hash=plan.hash)
    result.rows = [EvaluationRow(org=orgs[s.org], quota_yuan=quota[s.org], facts=facts[s.org], score=s) for s in scores]
    return result


@dataclass
class QuotaRow:
    quota: BondQuota
    issued_yuan: int
    spent_yuan: int


def quota_rows(*, user: User, year: int, unit: str | None = None) -> list[QuotaRow]:
    """Every bond project's quota, issued and spent amounts in the user's scope (3 queries)."""
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    qs = BondQuota.objects.visible_to(user).filter(batch__year=year).select_related("batch", "project", "unit")
    if unit:
        if not qs.filter(unit__code=unit).exists() and not Org.objects.reporting_units().filter(code=unit).exists():
            raise NotFound("单位不存在")
        qs = qs.filter(unit__code=unit)
    quotas = list(qs)
    ids = [q.pk for q in quotas]
    issued = dict(BondIssuance.objects.filter(quota_id__in=ids).values("quota_id").annotate(s=Sum("amount_yuan"))
                  .values_list("quota_id", "s"))
    spent = dict(BondSpending.objects.visible_to(user).filter(year=year, project_id__in={q.project_id for q in quotas})
                 .values("project_id").annotate(s=Sum("amount_yuan")).values_list("project_id", "s"))
    # Spending is per project: a project with quotas in both batches shows it on its first quota.
    shown: set[int] = set()
    rows = []
    for q in quotas:
        s = 0 if q.project_id in shown else (spent.get(q.project_id) or 0)
        shown.add(q.project_id)
        rows.append(QuotaRow(quota=q, issued_yuan=issued.get(q.pk) or 0, spent_yuan=s))
    return rows


def batches(*, user: Principal, year: int) -> list[dict[str, Any]]:
    """The year's batches with their project count and quota (aggregates every reader of bond data sees)."""
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    out = []
    for batch in BondBatch.objects.filter(year=year).annotate(
            projects=Count("quotas__project", distinct=True), amount=Sum("quotas__amount_yuan")):
        out.append({"batch": batch, "projects": batch.projects, "amount_yuan": batch.amount or 0})
    return out


def applications(*, user: User, year: int) -> list[SupplementaryApplication]:
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    return list(SupplementaryApplication.objects.visible_to(user).filter(year=year).select_related("unit", "project"))


def violations(*, user: User, year: int) -> list[ComplianceViolation]:
    policy.require(user, "read_business_data", message=READ_REFUSAL)
    return list(ComplianceViolation.objects.visible_to(user).filter(occurred_on__year=year)
                .select_related("unit", "project"))
