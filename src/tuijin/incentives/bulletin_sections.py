"""The incentives' section of the quarterly bulletin (contract: ``bulletin_sections(*, year, month, quarterly)``).

Quarterly only: as of the quarter's last day, the proposals found by the scan (免申即享) and those
confirmed, and the amounts approved and paid, by rule and by reporting unit (二(六)15–18). Pure data;
``[]`` for a monthly bulletin or when nothing applies.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import timezone

from tuijin.orgs.models import Org
from tuijin.toolkit.money import yuan_to_wan
from tuijin.toolkit.periods import quarter_end

from .models import Application, ApplicationStatus, Proposal, ProposalStatus

ORDER = 700
RULE_NAMES = {"interest_subsidy": "制造业重大项目贴息", "equipment_award": "设备投资奖励",
              "reits_subsidy": "REITs前期经费补助", "reits_issuance": "REITs发行奖励", "early_start": "提前开工支持"}
HEADERS = ["线索（条）", "已确认（条）", "批准金额（万元）", "拨付金额（万元）"]


def _wan(yuan: int) -> float:
    return float(yuan_to_wan(yuan))


def bulletin_sections(*, year: int, month: int, quarterly: bool) -> list[dict[str, Any]]:
    if not quarterly:
        return []
    quarter = (month - 1) // 3 + 1
    end = dt.datetime.combine(quarter_end(year, quarter), dt.time.max, tzinfo=timezone.get_current_timezone())
    rows: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for rule, unit_id, status, decided_at in (Proposal.objects.filter(year=year, found_at__lte=end)
                                              .values_list("rule", "unit_id", "status", "decided_at")):
        rows[(rule, unit_id)][0] += 1
        if status == ProposalStatus.CONFIRMED and decided_at is not None and decided_at <= end:
            rows[(rule, unit_id)][1] += 1
    for rule, unit_id, status, approved_at, approved, paid_at, paid in (
            Application.objects.filter(period=year, status__in=[ApplicationStatus.APPROVED, ApplicationStatus.PAID])
            .values_list("rule", "unit_id", "status", "approved_at", "approved_amount_yuan", "paid_at",
                         "paid_amount_yuan")):
        if approved_at is not None and approved_at <= end:
            rows[(rule, unit_id)][2] += approved or 0
        if status == ApplicationStatus.PAID and paid_at is not None and paid_at <= end:
            rows[(rule, unit_id)][3] += paid or 0
    if not rows:
        return []
    units = {o.pk: o for o in Org.objects.filter(pk__in={u for _r, u in rows})}
    by_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    by_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (rule, unit_id), values in rows.items():
        for i, v in enumerate(values):
            by_rule[rule][i] += v
            by_unit[unit_id][i] += v
    total = [sum(v[i] for v in by_rule.values()) for i in range(4)]

    def row(label: str, v: list[int]) -> list[Any]:
        return [label, v[0], v[1], _wan(v[2]), _wan(v[3])]

    rule_rows = [row(RULE_NAMES.get(code, code), by_rule[code]) for code in RULE_NAMES if code in by_rule]
    rule_rows.append(row("合计", total))
    unit_rows = [row(units[u].name, v) for u, v in sorted(by_unit.items(), key=lambda kv: (units[kv[0]].sort_order,
                                                                                             units[kv[0]].code))]
    paragraph = (f"截至{year}年第{quarter}季度末，平台依据项目库、已审核月报和REITs项目库筛查发现奖补线索{total[0]}条"
                 f"（免申即享），市工信局、市财政局已确认{total[1]}条；批准奖补资金{_wan(total[2]):,.2f}万元，"
                 f"已拨付{_wan(total[3]):,.2f}万元。")
    return [{"order": ORDER, "title": "投资奖补兑现情况", "paragraphs": [paragraph],
             "tables": [{"caption": "按奖补类型", "headers": ["奖补类型", *HEADERS], "rows": rule_rows},
                        {"caption": "按报送单位", "headers": ["报送单位", *HEADERS], "rows": unit_rows}]}]
