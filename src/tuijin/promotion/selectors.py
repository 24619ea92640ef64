"""Reads of the promotion module, always given the user (scoped by ``Deal.objects.visible_to``).

Deal rows, moves, the weekly report and the stalled list are scoped to the user's unit; tier
counts against targets and the annual assessment are city-wide aggregates every business user may read
(``read_business_data``). The bulletin, the supervision sync and the commands pass ``policy.SYSTEM``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.orgs.policy import Principal
from tuijin.plan import current_plan, plan_for, plan_on
from tuijin.toolkit import fields
from tuijin.toolkit.errors import NotFound, ValidationFailed
from tuijin.toolkit.periods import parse_week, week_code

from . import rules
from .models import Deal, DealMove, DealStage, SigningEvent

CLAUSE = "二(四)11"







def check_unit(user: User, code: str | None) -> str | None:
    """A ``unit`` filter the user may use: another unit's (or an unknown) code is 404."""
    if not code:
        return None
    unit = Org.objects.reporting_units().filter(code=code).first()
    if unit is None or not policy.can(user, "view_unit", unit):
        raise NotFound("单位不存在或不在您的查看范围内", field="unit")
    return code


#: A report's "as of" day (``?as_of=``, ``--as-of``): the toolkit's date, refused quoting the value.
parse_day = partial(fields.date, field="as_of", message="日期格式应为YYYY-MM-DD，实际为“{text}”")


def deals(*, user: User, unit: str | None = None, stage: str | None = None, tier: str | None = None,
          q: str | None = None, event: int | None = None) -> QuerySet[Deal]:
    policy.require(user, "read_business_data", message="您的角色不能查看招商引资数据")
    qs = Deal.objects.visible_to(user).select_related("unit", "signing_event", "project")
    if unit := check_unit(user, unit):
        qs = qs.filter(unit__code=unit)
    if stage:
        if stage not in DealStage.values:
            raise ValidationFailed(f"未知的阶段“{stage}”", field="stage")
        qs = qs.filter(stage=stage)
    if event:
        qs = qs.filter(signing_event_id=event)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(investor__icontains=q))
    if tier:
        band = next((b for b in current_plan().rules.deal_tiers.bands if b.code == tier), None)
        if band is None:
            raise ValidationFailed(f"未知的分档“{tier}”", field="tier")
        qs = qs.exclude(stage=DealStage.NEGOTIATING).filter(amount_yuan__gte=int(band.min_yi * rules.YUAN_PER_YI))
        if band.max_yi is not None:
            qs = qs.filter(amount_yuan__lt=int(band.max_yi * rules.YUAN_PER_YI))
        if band.leading_industry_only:
            qs = qs.exclude(leading_industry="")
    return qs


def get_deal(*, user: User, pk: int) -> Deal:
    policy.require(user, "read_business_data", message="您的角色不能查看招商引资数据")
    deal = Deal.objects.visible_to(user).select_related("unit", "signing_event", "project").filter(pk=pk).first()
    if deal is None:
        raise NotFound("招商项目不存在或不在您的查看范围内")
    return deal


# --- tiers against targets -------------------------------------------------------------------


def _signed_deals(*, year: int, until: dt.date | None = None) -> list[rules.SignedDeal]:
    """Every unit's signed deals of ``year``: the input of the city-wide tally (the caller has asked the policy)."""
    qs = Deal.objects.exclude(stage=DealStage.NEGOTIATING).filter(signed_on__year=year)
    if until is not None:
        qs = qs.filter(signed_on__lte=until)
    return [rules.SignedDeal(unit=u, amount_yuan=a, leading_industry=bool(li), stage=s)
            for u, a, li, s in qs.values_list("unit__code", "amount_yuan", "leading_industry", "stage")]


@dataclass
class TierRow:
    org: str
    name: str
    tally: rules.Tally
    is_city: bool = False


@dataclass
class TierSummary:
    year: int
    bands: list[dict[str, Any]]  # code, label, target
    signed_target_yi: Decimal | None
    city: TierRow
    units: list[TierRow] = field(default_factory=list)

    @property
    def signed_share(self) -> Decimal | None:
        if not self.signed_target_yi:
            return None
        return (rules.amount_yi(self.city.tally.signed_yuan) * 100 / self.signed_target_yi).quantize(Decimal("0.1"))


def tier_summary(*, user: Principal, year: int, until: dt.date | None = None) -> TierSummary:
    """Deals per band, signed amount and landing per unit and for the city, beside the targets (二(四)11):
    a city-wide aggregate, read by every business role."""
    policy.require(user, "read_business_data", message="您的角色不能查看招商引资数据")
    plan = plan_for(year)  # a year's bands and targets are its own plan's
    tiers = plan.rules.deal_tiers
    tallies = rules.tally(_signed_deals(year=year, until=until), tiers=tiers,
                          landed_stages=plan.rules.promotion.landed_stages)
    empty = {b.code: 0 for b in tiers.bands}
    bands = [{"code": b.code, "label": b.label, "target": int(plan.target(b.target)) if b.target else None}
             for b in tiers.bands]
    target = plan.target(tiers.signed_amount_target) if tiers.signed_amount_target else None
    units = [TierRow(org=u.code, name=u.short_name, tally=tallies.get(u.code) or rules.Tally(counts=dict(empty)))
             for u in plan.units]
    city = TierRow(org="city", name=plan.meta.city, tally=tallies.get("city") or rules.Tally(counts=dict(empty)),
                   is_city=True)
    return TierSummary(year=year, bands=bands, signed_target_yi=target, city=city, units=units)


def annual_assessment(*, user: Principal, year: int) -> list[dict[str, Any]]:
    """The annual assessment (年考核) of every unit, ranked (二(四)11): read by every business role."""
    plan = plan_for(year)
    summary = tier_summary(user=user, year=year)
    scores = rules.annual_assessment({r.org: r.tally for r in summary.units},
                                     weights=plan.rules.promotion.assessment_weights)
    names = {r.org: r.name for r in summary.units}
    tallies = {r.org: r.tally for r in summary.units}
    return [{"org": s.org, "name": names[s.org], "rank": s.rank, "scores": s.scores, "total": s.total,
             "signed_yuan": tallies[s.org].signed_yuan, "signed_deals": tallies[s.org].signed_deals,
             "tier_deals": sum(tallies[s.org].counts.values()), "landed": tallies[s.org].landed} for s in scores]


# --- weekly report and stalled deals -----------------------------------------------------------


def weekly_report(*, user: User, week: str, unit: str | None = None) -> dict[str, Any]:
    """周报告 (二(四)11): the week's moves (scoped), grouped by the stage reached, and the year so far."""
    policy.require(user, "read_business_data", message="您的角色不能查看招商引资数据")
    monday, sunday = parse_week(week)
    unit = check_unit(user, unit)
    names = plan_on(monday).rules.promotion.stage_names()
    moves = DealMove.objects.visible_to(user).filter(moved_on__range=(monday, sunday)).exclude(from_stage="")
    if unit:
        moves = moves.filter(deal__unit__code=unit)
    moves = list(moves.select_related("deal", "deal__unit").order_by("moved_on", "deal__unit__sort_order", "id"))
    new = DealMove.objects.visible_to(user).filter(moved_on__range=(monday, sunday), from_stage="")
    if unit:
        new = new.filter(deal__unit__code=unit)
    by_stage = {code: [m for m in moves if m.to_stage == code] for code in names if code != DealStage.NEGOTIATING}
    signed = by_stage.get(DealStage.SIGNED, [])
    scoped = Deal.objects.visible_to(user)
    if unit:
        scoped = scoped.filter(unit__code=unit)
    year_signed = scoped.exclude(stage=DealStage.NEGOTIATING).filter(
        signed_on__year=monday.year, signed_on__lte=sunday).aggregate(n=Count("id"), s=Sum("amount_yuan"))
    return {
        "week": week_code(monday), "start": monday, "end": sunday, "unit": unit,
        "moves": [{"deal": m.deal, "unit": m.deal.unit, "from": names.get(m.from_stage, m.from_stage),
                   "to": names.get(m.to_stage, m.to_stage), "to_code": m.to_stage, "moved_on": m.moved_on,
                   "note": m.note} for m in moves],
        "new_deals": new.count(),
        "counts": {code: len(items) for code, items in by_stage.items()},
        "stage_names": names,
        "signed_count": len(signed), "signed_yuan": sum(m.deal.amount_yuan for m in signed),
        "year_signed_count": year_signed["n"] or 0, "year_signed_yuan": year_signed["s"] or 0,
    }


def stalled(*, user: User, as_of: dt.date, unit: str | None = None) -> list[dict[str, Any]]:
    """月督查: deals with no move for the plan's ``stalled_after_days`` (scoped; SYSTEM: every unit's),
    longest first."""
    policy.require(user, "read_business_data", message="您的角色不能查看招商引资数据")
    return _stalled_rows(as_of=as_of, qs=deals(user=user, unit=unit))


def _stalled_rows(*, as_of: dt.date, qs: QuerySet[Deal]) -> list[dict[str, Any]]:
    rule = plan_on(as_of).rules.promotion
    cutoff = as_of - dt.timedelta(days=rule.stalled_after_days)
    names = rule.stage_names()
    found = qs.filter(stage__in=list(rule.stalled_stages), last_move_on__lte=cutoff, negotiating_since__lte=as_of)
    out = [{"deal": d, "days": (as_of - d.last_move_on).days, "stage": names.get(d.stage, d.stage)}
           for d in found if rules.is_stalled(stage=d.stage, last_move_on=d.last_move_on, as_of=as_of,
                                               stalled_stages=rule.stalled_stages, days=rule.stalled_after_days)]
    return sorted(out, key=lambda r: (-r["days"], r["deal"].unit.sort_order, r["deal"].pk))


def signing_events(*, user: User) -> list[dict[str, Any]]:
    """Big-event signings with their deals in the user's scope (count, amount, landed)."""
    policy.require(user, "read_business_data", message="您的角色不能查看招商引资数据")
    landed = list(current_plan().rules.promotion.landed_stages)
    scoped = Deal.objects.visible_to(user)
    out = []
    for event in SigningEvent.objects.all():
        agg = scoped.filter(signing_event=event).aggregate(
            n=Count("id"), s=Sum("amount_yuan"), landed=Count("id", filter=Q(stage__in=landed)),
            converted=Count("id", filter=Q(project__isnull=False)))
        out.append({"event": event, "deals": agg["n"] or 0, "amount_yuan": agg["s"] or 0,
                    "landed": agg["landed"] or 0, "converted": agg["converted"] or 0})
    return out
