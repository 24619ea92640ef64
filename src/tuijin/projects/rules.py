"""Pure rules of the project library (DESIGN §4.4). No ORM here.

* the national investment-project code ``YYYY-AAAAAA-BB-CC-NNNNNN``;
* the owner's unified social credit code (GB 32100, via python-stdnum);
* the stage machine ``reserve → ready → construction → completed`` (or ``cancelled``)
  and the checks of each move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumError

# Province-level prefixes of the administrative division code (GB/T 2260).
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
# Project type segment: 01 审批, 02 核准, 03 备案.
PROJECT_TYPE_CODES = {"01": "审批", "02": "核准", "03": "备案"}
PROJECT_CODE_SHAPE = "YYYY-AAAAAA-BB-CC-NNNNNN"


def project_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid national project code, naming the segment; None when valid."""
    code = (code or "").strip()
    if not code:
        return "项目代码不能为空"
    if len(code) != 24:
        return f"项目代码应为24位（格式 {PROJECT_CODE_SHAPE}），实际为{len(code)}位"
    parts = code.split("-")
    if len(parts) != 5 or [len(p) for p in parts] != [4, 6, 2, 2, 6]:
        return f"项目代码格式应为 {PROJECT_CODE_SHAPE}（用“-”分隔的4-6-2-2-6位数字）"
    year, division, industry, kind, serial = parts
    if not year.isdigit() or not 1990 <= int(year) <= 2099:
        return f"项目代码第1段（年份）应为1990–2099的4位数字，实际为“{year}”"
    if not division.isdigit() or division[:2] not in PROVINCE_PREFIXES:
        return f"项目代码第2段（行政区划代码）应为有效的6位区划代码，实际为“{division}”"
    if not industry.isdigit() or industry == "00":
        return f"项目代码第3段（行业代码）应为01–99的2位数字，实际为“{industry}”"
    if kind not in PROJECT_TYPE_CODES:
        return f"项目代码第4段（项目类型）应为01（审批）、02（核准）或03（备案），实际为“{kind}”"
    if not serial.isdigit() or serial == "000000":
        return f"项目代码第5段（流水号）应为6位数字且不为000000，实际为“{serial}”"
    return None


def uscc_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 统一社会信用代码; None when valid."""
    value = (value or "").strip().upper()
    if len(value) != 18:
        return f"统一社会信用代码应为18位，实际为{len(value)}位"
    try:
        stdnum_uscc.validate(value)
    except StdnumError:
        return "统一社会信用代码校验位不正确或含非法字符"
    return None


# ---------------------------------------------------------------------------
# Stage machine

RESERVE, READY, CONSTRUCTION, COMPLETED, CANCELLED = "reserve", "ready", "construction", "completed", "cancelled"
ORDER = (RESERVE, READY, CONSTRUCTION, COMPLETED)
STAGE_LABELS = {
    RESERVE: "储备库",
    READY: "拟开工库",
    CONSTRUCTION: "在建库",
    COMPLETED: "竣工库",
    CANCELLED: "已取消",
}


@dataclass(frozen=True)
class StageFacts:
    """What the stage checks need to know about a project."""

    stage: str
    project_code: str | None
    has_annual_plan: bool
    actual_start: dt.date | None
    actual_end: dt.date | None
    required_approvals: tuple[str, ...] = ()
    done_approvals: frozenset[str] = field(default_factory=frozenset)
    green_channel: bool = False
    approval_names: dict[str, str] = field(default_factory=dict)


def allowed_targets(stage: str) -> tuple[str, ...]:
    """Stages a project may move to from ``stage``: the next library, or cancelled."""
    if stage in (COMPLETED, CANCELLED):
        return ()
    nxt = ORDER[ORDER.index(stage) + 1]
    return (nxt, CANCELLED)


def stage_move_problems(facts: StageFacts, to_stage: str) -> list[str]:
    """Every unmet check for moving to ``to_stage``, in Chinese; empty when allowed."""
    if to_stage not in STAGE_LABELS:
        return [f"未知的目标阶段“{to_stage}”，应为 {'、'.join(STAGE_LABELS)} 之一"]
    if to_stage not in allowed_targets(facts.stage):
        here, there = STAGE_LABELS.get(facts.stage, facts.stage), STAGE_LABELS[to_stage]
        if facts.stage in (COMPLETED, CANCELLED):
            return [f"项目已在“{here}”，不能再移动"]
        return [f"项目只能按 储备库→拟开工库→在建库→竣工库 顺序前进一步（或取消），不能从“{here}”移到“{there}”"]
    problems: list[str] = []
    if to_stage == READY:
        code_problem = project_code_problem(facts.project_code or "")
        if code_problem:
            problems.append(f"转入拟开工库需要有效的项目代码：{code_problem}")
        if not facts.has_annual_plan:
            problems.append("转入拟开工库需要填写年度计划投资")
    elif to_stage == CONSTRUCTION:
        if facts.actual_start is None:
            problems.append("转入在建库需要填写实际开工日期")
        if not facts.green_channel:
            missing = [a for a in facts.required_approvals if a not in facts.done_approvals]
            if missing:
                names = "、".join(facts.approval_names.get(a, a) for a in missing)
                problems.append(f"转入在建库需要办结全部审批事项（或登记绿色通道），尚未办结：{names}")
    elif to_stage == COMPLETED:
        if facts.actual_end is None:
            problems.append("转入竣工库需要填写实际竣工日期")
    return problems


def date_order_problems(pairs: Iterable[tuple[str, dt.date | None, str, dt.date | None]]) -> dict[str, str]:
    """For (start_field, start, end_field, end) pairs, the end fields that come before their start."""
    errors: dict[str, str] = {}
    for _start_name, start, end_name, end in pairs:
        if start and end and end < start:
            errors[end_name] = "结束日期不能早于开始日期"
    return errors
