"""REITs pipeline rules (二(五)12、二(六)18): pure functions over the plan's rule objects, no ORM.

* :func:`reits_list_for` — which of 试点一批 / 储备一批 / 谋划一批 a project is on;
* :func:`reits_move_problems` — why a stage move is refused.

The incentives' REITs subsidy and issuance award (:func:`tuijin.incentives.rules.reits_subsidy`)
read the pipeline through :mod:`tuijin.reits.selectors`; the pipeline never imports incentives.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def reits_list_for(lists_rule: Any, *, stage: str, in_reserve: bool) -> str:
    """Which of 试点一批 / 储备一批 / 谋划一批 a REITs project is on (二(五)12): by its stage; a project
    in the national reserve is on 储备一批 at least."""
    found = lists_rule.list_for(stage)
    code = found.code if found is not None else lists_rule.items[-1].code
    codes = [item.code for item in lists_rule.items]
    if in_reserve and "reserve" in codes and codes.index(code) > codes.index("reserve"):
        code = "reserve"
    return code


def reits_move_problems(*, stages: tuple[str, ...], current: str, to: str, in_reserve: bool,
                        issue_date: dt.date | None, issue_amount_yuan: int | None,
                        operating_since: dt.date | None, on: dt.date, last_move_on: dt.date | None,
                        today: dt.date) -> list[str]:
    """Why a REITs stage move is refused (empty when allowed), 二(五)12、二(六)18.

    Forward one stage at a time (谋划 → 遴选 → 申报 → 发行 → 运营); filing needs the national
    reserve; issuance needs the issue date and amount; operation needs the operating date, not
    before the issue. The move's date is not in the future and not before the previous move.
    """
    problems: list[str] = []
    if to not in stages:
        return [f"未知的阶段“{to}”"]
    i, j = stages.index(current), stages.index(to)
    if j <= i:
        problems.append("阶段只能向前推进，不能停留或退回")
    elif j > i + 1:
        problems.append("阶段须逐级推进，不能跳过中间阶段")
    if to == "filing" and not in_reserve:
        problems.append("申报前须纳入国家发展改革委基础设施REITs储备项目库")
    if to == "issued":
        if issue_date is None:
            problems.append("发行须填写发行日期")
        if not issue_amount_yuan:
            problems.append("发行须填写发行规模")
    if to == "operating":
        if operating_since is None:
            problems.append("运营须填写运营起始日期")
        elif issue_date is not None and operating_since < issue_date:
            problems.append("运营起始日期不能早于发行日期")
    if on > today:
        problems.append("变更日期不能晚于今天")
    if last_move_on is not None and on < last_move_on:
        problems.append(f"变更日期不能早于上一次变更（{last_move_on:%Y-%m-%d}）")
    return problems
