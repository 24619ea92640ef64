"""Demo step: the infrastructure REITs pipeline of 2022 (order 300; 二(五)12、二(六)18).

Zhengzhou had few REITs in 2022: the pipeline holds eleven infrastructure projects of the
library, a few in each stage — 4 谋划, 3 遴选, 2 申报, 1 发行 (June 2022), 1 运营 (issued in
December 2021) — with plausible pre-expenses (80–650万元) and issue sizes (9–13亿元). Two are
planted ineligible for the REITs subsidy: one in screening outside the national reserve, one
filed whose original equity holder is registered outside the city. The projects are the library's
infrastructure projects under construction or completed tagged ``reits`` first, then other such
infrastructure projects (by id), so the entries are deterministic; every entry's moves are dated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection

from tuijin.audit.services import build_entry
from tuijin.demo.steps import DemoStep, GenerationContext, LoadContext, register_step
from tuijin.plan import plan_for
from tuijin.projects.models import Project
from tuijin.reits.models import ReitsEntry, ReitsMove
from tuijin.reits.rules import reits_list_for

STAGES = ("planning", "screening", "filing", "issued", "operating")


@dataclass(frozen=True)
class ReitsSpec:
    key: str
    asset_type: str
    sponsor: str
    stage: str
    moves: tuple[dt.date, ...]  # the date of entering each stage up to ``stage``
    in_reserve: bool
    local: bool
    pre_expenses_wan: int
    planned_size_wan: int | None = None
    issue_amount_wan: int | None = None
    operating_since: dt.date | None = None


D = dt.date
SPECS: tuple[ReitsSpec, ...] = (
    ReitsSpec("R-PLAN-1", "污水处理", "郑州市污水净化有限公司", "planning", (D(2022, 3, 8),), False, True, 0),
    ReitsSpec("R-PLAN-2", "保障性租赁住房", "郑州城发安居有限公司", "planning", (D(2022, 4, 12),), False, True, 35),
    ReitsSpec("R-PLAN-3", "城市停车场", "郑州市交通建设投资有限公司", "planning", (D(2022, 5, 20),), False, True, 0),
    ReitsSpec("R-PLAN-4", "冷链物流园", "郑州航空港兴港投资集团", "planning", (D(2022, 6, 2),), False, True, 20),
    ReitsSpec("R-SCREEN-RESERVE", "产业园区", "郑州高新投资控股集团", "screening", (D(2022, 1, 10), D(2022, 3, 15)),
              True, True, 80, 90000),
    ReitsSpec("R-SCREEN-NORESERVE", "仓储物流", "郑州国际陆港开发建设有限公司", "screening",
              (D(2022, 2, 14), D(2022, 5, 10)), False, True, 120, 60000),
    ReitsSpec("R-SCREEN-2", "收费公路", "河南交投郑州绕城高速", "screening", (D(2022, 2, 20), D(2022, 6, 1)),
              True, True, 0, 150000),
    ReitsSpec("R-FILE-1", "高速公路", "郑州交通发展投资集团", "filing",
              (D(2021, 10, 8), D(2021, 12, 20), D(2022, 4, 25)), True, True, 180, 120000),
    ReitsSpec("R-FILE-NOTLOCAL", "数据中心", "某数据科技股份有限公司（注册地外省）", "filing",
              (D(2021, 11, 3), D(2022, 1, 18), D(2022, 5, 30)), True, False, 400, 80000),
    ReitsSpec("R-ISSUED", "产业园区", "郑州经开投资发展有限公司", "issued",
              (D(2021, 6, 1), D(2021, 9, 10), D(2021, 12, 28), D(2022, 6, 21)), True, True, 520, 95000, 93000),
    ReitsSpec("R-OPERATING", "供热管网", "郑州热力集团有限公司", "operating",
              (D(2021, 3, 1), D(2021, 5, 20), D(2021, 8, 30), D(2021, 12, 15), D(2022, 1, 1)), True, True, 300,
              130000, 128000, D(2022, 1, 1)),
)
REASONS = {"planning": "纳入REITs项目库", "screening": "列入市级遴选名单", "filing": "向国家发展改革委申报",
           "issued": "在沪深交易所成功发行", "operating": "基础设施项目转入运营"}


#: (words in the project name, asset type, original equity holder): the entry fits its project.
ASSETS = ((("地铁", "轨道", "铁路", "城郊线"), "城市轨道交通", "郑州地铁集团有限公司"),
          (("污水", "再生水", "水厂", "净水"), "污水处理", "郑州市污水净化有限公司"),
          (("垃圾", "固废", "餐厨"), "固废处理", "郑州市环境卫生集团有限公司"),
          (("快速", "道路", "高速", "公路", "通道", "大桥"), "收费公路", "郑州交通发展投资集团有限公司"),
          (("供热", "热力"), "供热管网", "郑州热力集团有限公司"),
          (("住房", "公寓", "安置"), "保障性租赁住房", "郑州城发安居有限公司"))


def _asset(spec: ReitsSpec, name: str) -> tuple[str, str]:
    for words, asset, sponsor in ASSETS:
        if any(w in name for w in words):
            return asset, sponsor if spec.local else spec.sponsor
    return spec.asset_type, spec.sponsor


def generate(ctx: GenerationContext) -> tuple[ReitsSpec, ...]:
    return SPECS


def demo_projects() -> list[Project]:
    """The library projects the pipeline uses, in order (deterministic for a given demo)."""
    infrastructure = Project.objects.filter(category="infrastructure", stage__in=["construction", "completed"])
    tagged = list(infrastructure.filter(tag_links__tag="reits").order_by("id")[:len(SPECS)])
    rest = list(infrastructure.exclude(pk__in=[p.pk for p in tagged]).order_by("id")[:len(SPECS) - len(tagged)])
    return tagged + rest


def load(ctx: LoadContext, specs: tuple[ReitsSpec, ...]) -> None:
    projects = demo_projects()
    lists = plan_for(ctx.facts.year).rules.reits_lists
    entries = []
    pairs = list(zip(specs, projects, strict=False))
    for spec, project in pairs:
        stage_since = spec.moves[-1]
        asset, sponsor = _asset(spec, project.name)
        entries.append(ReitsEntry(
            unit_id=project.unit_id, project=project, asset_type=asset, sponsor=sponsor,
            stage=spec.stage, stage_since=stage_since,
            batch_list=reits_list_for(lists, stage=spec.stage, in_reserve=spec.in_reserve) if lists else "planning",
            in_national_reserve=spec.in_reserve, registered_locally=spec.local,
            pre_expenses_yuan=spec.pre_expenses_wan * 10_000,
            planned_size_yuan=spec.planned_size_wan * 10_000 if spec.planned_size_wan else None,
            issue_date=spec.moves[3] if len(spec.moves) > 3 else None,
            issue_amount_yuan=spec.issue_amount_wan * 10_000 if spec.issue_amount_wan else None,
            operating_since=spec.operating_since, notes=f"演示：{spec.key}"))
    ReitsEntry.objects.bulk_create(entries)
    fgw = ctx.users.get("fgw")
    moves = []
    for (spec, _project), entry in zip(pairs, entries, strict=True):
        previous = ""
        for i, day in enumerate(spec.moves):
            moves.append(ReitsMove(unit_id=entry.unit_id, entry=entry, from_stage=previous, to_stage=STAGES[i], on=day,
                                   actor=fgw, reason=REASONS[STAGES[i]]))
            previous = STAGES[i]
    ReitsMove.objects.bulk_create(moves)
    ctx.data["reits_entries"] = {spec.key: entry.pk for (spec, _p), entry in zip(pairs, entries, strict=True)}
    ctx.count("reits_entries", len(entries), "REITs项目")
    ctx.count("reits_moves", len(moves), "REITs阶段变更")
    ctx.audit_batch([build_entry(action="import", object_type="reits.reitsentry", object_id="demo",
                                 object_repr="演示数据：基础设施REITs项目库",
                                 after={"entries": len(entries), "moves": len(moves)})])


def reset(ctx: LoadContext) -> None:
    for label, key, model in (("REITs阶段变更", "reits_moves", ReitsMove), ("REITs项目", "reits_entries", ReitsEntry)):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            ctx.count_deleted(key, max(cursor.rowcount, 0), label)


def planted(key: str, data: dict[str, Any]) -> int | None:
    return data.get("reits_entries", {}).get(key)


register_step(DemoStep(name="reits", label="基础设施REITs项目库（谋划、遴选、申报、发行、运营）", order=300,
                       generate=generate, load=load, reset=reset))
