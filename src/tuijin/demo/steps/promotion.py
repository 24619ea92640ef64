"""Demo step: investment-promotion deals 2022 (二(四)10–11), after the project library (order 260).

About half-way through the year (data as of 2022-07-01): deals in every unit across the four tier
bands (roughly half of the year's targets 16 / 8 / 24 / 56 signed), some smaller ones and some
5–10亿 deals outside a leading chain (counted in no band), about thirty still negotiating; signed
deals moving on to registered, started and producing at dated moves; a big-event signing
(2022年郑州市重大项目集中签约活动, 8 April 2022) with twenty deals; about half a dozen deals stalled (no move for
more than the plan's 30 days while signed, registered or started). Started and producing deals are
linked to the unit's ``promotion``-tagged projects of the library, with the project's name,
owner and total investment, as a conversion would have made them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tuijin.audit.services import build_entry
from tuijin.demo.steps import DemoStep, GenerationContext, LoadContext, register_step
from tuijin.promotion.models import STAGE_DATE_FIELD, Deal, DealMove, SigningEvent

AS_OF = dt.date(2022, 7, 1)
START = dt.date(2022, 1, 4)
EVENT_DAY = dt.date(2022, 4, 8)
STAGES = ["negotiating", "signed", "registered", "started", "producing"]
#: (count, min 亿, max 亿, leading chain) per band of the year so far, then deals counted in no band.
BANDS = [(9, 100, 420, None), (5, 30, 95, None), (13, 10, 29, None), (29, 5, 9.8, True),
         (8, 5, 9.8, False), (14, 1, 4.8, None)]
NEGOTIATING = 30
STALLED = 8
INVESTORS = ["比亚迪股份有限公司", "宁德时代新能源科技股份有限公司", "上汽集团", "中国电子信息产业集团", "华为技术有限公司",
             "超聚变数字技术有限公司", "紫光集团", "中铝集团", "伊利实业集团", "双汇发展", "三全食品", "思念食品",
             "华润医药", "国药集团", "安图生物", "宇通集团", "中国建材集团", "中国中铁", "京东集团", "阿里巴巴（中国）有限公司",
             "腾讯云计算有限公司", "海康威视", "格力电器", "美的集团", "正威国际集团", "中国平安", "招商局集团", "万洲国际",
             "郑煤机集团", "中原动力", "明泰铝业", "中铁装备", "富士康科技集团", "金龙鱼粮油", "好想你健康食品", "牧原股份"]
SUBJECTS = {"electronic_information": ["智能终端产业园", "数据中心", "半导体封测基地", "信创产业园"],
            "automobile_equipment": ["新能源汽车整车基地", "动力电池项目", "汽车零部件产业园", "智能装备制造基地"],
            "new_materials": ["高端铝材深加工", "新型建材基地", "特种材料产业园"],
            "modern_food": ["中央厨房及冷链基地", "食品加工产业园", "预制菜生产基地"],
            "biomedicine": ["生物医药产业园", "体外诊断试剂基地", "创新药研发生产基地"],
            "aluminium_processing": ["铝精深加工项目", "再生铝项目"],
            "": ["总部经济大厦", "商业综合体", "文旅综合体", "区域物流枢纽", "职业教育园区"]}


@dataclass
class DealSpec:
    unit: str
    name: str
    investor: str
    amount_yuan: int
    leading_industry: str
    stage: str
    dates: list[dt.date]  # one per stage reached, from negotiating on
    leader: str
    principal_leader: bool
    task_force: str
    event: bool = False
    project_ref: int | None = None
    band: tuple[float, float] = (0, 0)
    notes: list[str] = field(default_factory=list)


def _chain(rng, stage: str, stalled: bool, event: bool = False) -> list[dt.date]:
    """Dates of each stage reached, in order: ending recently, long ago when stalled, or signed at the event."""
    steps = STAGES.index(stage)
    if event:  # signed at the event, then moving on until recently
        last = AS_OF - dt.timedelta(days=rng.randint(0, 25))
        gap = (last - EVENT_DAY) / max(steps - 1, 1)
        return [EVENT_DAY - dt.timedelta(days=rng.randint(20, 60)), EVENT_DAY,
                *[EVENT_DAY + gap * k for k in range(1, steps)]]
    last = AS_OF - dt.timedelta(days=rng.randint(45, 110) if stalled else rng.randint(0, 25))
    dates = [last]
    for _ in range(steps):
        dates.insert(0, dates[0] - dt.timedelta(days=rng.randint(12, 40)))
    return dates


def generate(ctx: GenerationContext) -> list[DealSpec]:
    rng = ctx.rng("promotion")
    units = [u.code for u in ctx.facts.units]
    short = {u.code: u.short_name for u in ctx.facts.units}
    industries = [i for i in ctx.facts.leading_industries]
    linkable: dict[str, list] = {}
    for p in ctx.data["projects"]:
        if "promotion" in p.tags and p.stage in ("construction", "completed") and p.actual_start \
                and p.actual_start.year == 2022:
            linkable.setdefault(p.unit_code, []).append(p)
    deals: list[DealSpec] = []
    n = 0
    for count, low, high, leading in BANDS:
        for _ in range(count):
            unit = units[(n * 7) % len(units)]
            n += 1
            industry = rng.choice(industries) if leading or (leading is None and rng.random() < 0.6) else ""
            amount = round(rng.uniform(low, high), 2)
            stage = rng.choices(STAGES[1:], weights=[40, 25, 25, 10])[0]
            deals.append(DealSpec(unit=unit, name="", investor=rng.choice(INVESTORS),
                                  amount_yuan=int(round(amount * 100) * 1_000_000), leading_industry=industry,
                                  stage=stage, dates=[], leader="", principal_leader=False, task_force="",
                                  band=(low, high)))
    for _ in range(NEGOTIATING):
        unit = rng.choice(units)
        deals.append(DealSpec(unit=unit, name="", investor=rng.choice(INVESTORS),
                              amount_yuan=int(rng.randint(300, 20000) * 1_000_000),
                              leading_industry=rng.choice(["", *industries]), stage="negotiating", dates=[],
                              leader="", principal_leader=False, task_force=""))
    signed = [d for d in deals if d.stage != "negotiating"]
    stalled = set(rng.sample(range(len(signed)), STALLED))
    event = set(rng.sample([i for i in range(len(signed)) if i not in stalled], 20))
    for i, d in enumerate(signed):
        d.event = i in event
        if d.event and d.stage == "signed":
            d.stage = "registered"
        d.dates = _chain(rng, d.stage, i in stalled, event=d.event)
    for d in deals:
        if d.stage == "negotiating":
            d.dates = [AS_OF - dt.timedelta(days=rng.randint(3, 120))]
        big = d.amount_yuan >= 30 * 100_000_000
        d.principal_leader = big or rng.random() < 0.3
        d.leader = f"{short[d.unit]}{'党委书记' if big else rng.choice(['区（县、市）长', '常务副职', '分管副职'])}"
        subject = rng.choice(SUBJECTS[d.leading_industry])
        d.name = f"{d.investor.split('（')[0].replace('股份有限公司', '').replace('有限公司', '')}{subject}"
        d.task_force = f"{d.name}工作专班" if d.amount_yuan >= 10 * 100_000_000 else ""
        low, high = d.band
        fits = [p for p in linkable.get(d.unit, []) if low <= p.total_investment_wan / 10_000 < high]
        if d.stage in ("started", "producing") and fits:
            p = fits[0]
            linkable[d.unit].remove(p)
            d.project_ref = p.ref
            d.name, d.amount_yuan = p.name, int(p.total_investment_wan) * 10_000
            d.investor = p.owner_name or d.investor
            d.leading_industry = p.leading_industry
    return deals


def load(ctx: LoadContext, deals: list[DealSpec]) -> None:
    event = SigningEvent.objects.create(name="2022年郑州市重大项目集中签约活动", held_on=EVENT_DAY,
                                        place="郑州国际会展中心")
    actor = ctx.users.get("fgw")
    rows = []
    for d in deals:
        deal = Deal(unit=ctx.orgs[d.unit], name=d.name[:200], investor=d.investor, amount_yuan=d.amount_yuan,
                    leading_industry=d.leading_industry, stage=d.stage, negotiating_since=d.dates[0],
                    last_move_on=d.dates[-1], leader=d.leader, principal_leader=d.principal_leader,
                    task_force=d.task_force[:200], signing_event=event if d.event else None,
                    project_id=ctx.project_ids.get(d.project_ref) if d.project_ref is not None else None)
        for stage, day in zip(STAGES, d.dates, strict=False):
            setattr(deal, STAGE_DATE_FIELD[stage], day)
        rows.append(deal)
    created = Deal.objects.bulk_create(rows)
    moves = []
    for spec, deal in zip(deals, created, strict=True):
        previous = ""
        for stage, day in zip(STAGES, spec.dates, strict=False):
            moves.append(DealMove(deal=deal, from_stage=previous, to_stage=stage, moved_on=day, actor=actor,
                                  note="登记" if not previous else ""))
            previous = stage
    DealMove.objects.bulk_create(moves)
    ctx.count("deals", len(created), "招商项目")
    ctx.count("deal_moves", len(moves), "招商项目推进记录")
    ctx.audit_batch([build_entry(action="import", object_type="promotion.deal", object_repr="演示：招商项目",
                                 after={"deals": len(created), "moves": len(moves)})])


def reset(ctx: LoadContext) -> None:
    n = 0
    for model in (DealMove, Deal, SigningEvent):
        n += model.objects.all()._raw_delete(model.objects.db)
    ctx.count_deleted("deals", n, "招商项目")


register_step(DemoStep(name="promotion", label="招商引资（各档签约项目、推进记录、集中签约、停滞项目）", order=260,
                       generate=generate, load=load, reset=reset))
