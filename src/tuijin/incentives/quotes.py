"""The calculator behind every door (page, CLI ``tuijin calc``, ``POST /api/v1/incentives/quote/``).

Parameters are the CLI flags in snake_case, amounts in 万元:

* ``interest_subsidy``: ``total``, ``first_year``, ``loan``, ``rate`` (optional, %, default from the plan),
  ``not_manufacturing`` (bool);
* ``equipment_award``: ``total``, ``equipment``, ``other_industry`` (bool), ``nature`` (new/expansion/renovation,
  default new), ``not_producing`` (bool);
* ``reits_subsidy``: ``pre_expenses``, ``not_in_reserve``, ``not_local``, ``issued`` (bools).

Bad input raises :class:`~tuijin.toolkit.errors.ValidationFailed` with Chinese messages per field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from tuijin.plan import Plan, current_plan
from tuijin.toolkit import fields
from tuijin.toolkit.errors import ValidationFailed

from . import rules

#: 10亿亿元: beyond any project (keeps the arithmetic sane).
MAX_WAN = Decimal("1000000000")

QUOTE_RULES = {
    rules.INTEREST_SUBSIDY: "制造业重大项目贴息（二(六)16）",
    rules.EQUIPMENT_AWARD: "工业投资项目设备投资奖励（二(六)17）",
    rules.REITS_SUBSIDY: "基础设施REITs前期经费补助和发行奖励（二(六)18）",
}

FIELD_LABELS = {
    "rule": "规则", "total": "总投资（万元）", "first_year": "开工后一年内实际固定资产投资（万元）", "loan": "贷款本金（万元）",
    "rate": "基准利率（%）", "not_manufacturing": "非制造业", "equipment": "生产和技术设备投资（万元）",
    "other_industry": "非主导产业", "nature": "项目性质", "not_producing": "尚未投产", "pre_expenses": "前期经费实际支出（万元）",
    "not_in_reserve": "未纳入国家REITs储备库", "not_local": "原始权益人注册地不在本市", "issued": "已成功发行",
}

AMOUNTS = {
    rules.INTEREST_SUBSIDY: ("total", "first_year", "loan"),
    rules.EQUIPMENT_AWARD: ("total", "equipment"),
    rules.REITS_SUBSIDY: ("pre_expenses",),
}
FLAGS = {
    rules.INTEREST_SUBSIDY: ("not_manufacturing",),
    rules.EQUIPMENT_AWARD: ("other_industry", "not_producing"),
    rules.REITS_SUBSIDY: ("not_in_reserve", "not_local", "issued"),
}
NATURES = ("new", "expansion", "renovation")


#: The calculator's yes/no parameters, as JSON, a form or a query string gives them.
FLAG_WORDS = {"yes": ("true", "1", "yes", "on"), "no": ("false", "0", "no", "off"),
              "message": "{label}：应为 true 或 false"}
#: The interest rate is read as an amount is (at most 4 decimals), between 0 (excluded) and 100.
RATE_WORDS = replace(fields.LABELLED, not_positive="{label}：应大于0且不超过100", too_large="{label}：应大于0且不超过100")


def parse_quote(rule: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a calculator request; the values by parameter name, or ValidationFailed."""
    errors: dict[str, list[str]] = {}
    if rule not in QUOTE_RULES:
        raise ValidationFailed(f"规则应为：{'、'.join(QUOTE_RULES)}", field="rule")
    values: dict[str, Any] = {}
    for name in AMOUNTS[rule]:
        values[name] = fields.collect(errors, fields.money_wan, data.get(name), field=name,
                                      label=FIELD_LABELS[name], words=fields.LABELLED, maximum_wan=MAX_WAN)
    for name in FLAGS[rule]:
        values[name] = fields.collect(errors, fields.flag, data.get(name), field=name, label=FIELD_LABELS[name],
                                      **FLAG_WORDS)
    if rule == rules.INTEREST_SUBSIDY:
        values["rate"] = fields.collect(errors, fields.money_wan, data.get("rate"), field="rate",
                                        label=FIELD_LABELS["rate"], words=RATE_WORDS, required=False,
                                        positive=True, maximum_wan=100)
        if values.get("first_year") is not None and values.get("total") is not None \
                and values["first_year"] > values["total"]:
            errors.setdefault("first_year", []).append(f"{FIELD_LABELS['first_year']}：不应超过总投资")
    if rule == rules.EQUIPMENT_AWARD:
        nature = data.get("nature") or "new"
        if nature not in NATURES:
            errors.setdefault("nature", []).append(f"{FIELD_LABELS['nature']}：应为 new（新建）、expansion（扩建）或 "
                                                    "renovation（改建）")
        values["nature"] = nature
        if values.get("equipment") is not None and values.get("total") is not None \
                and values["equipment"] > values["total"]:
            errors.setdefault("equipment", []).append(f"{FIELD_LABELS['equipment']}：不应超过总投资")
    unknown = sorted(set(data) - set(values) - {"rule"})
    for name in unknown:
        errors.setdefault(name, []).append(f"未知参数“{name}”")
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)
    return values


def quote(rule: str, data: Mapping[str, Any], *, plan: Plan | None = None) -> rules.Quote:
    """Parse and compute one calculator request under ``plan`` (default: the plan of the clock's year)."""
    values = parse_quote(rule, data)
    plan_rules = (plan or current_plan()).rules
    if rule == rules.INTEREST_SUBSIDY:
        return rules.interest_subsidy(plan_rules.interest_subsidy, total_wan=values["total"],
                                      first_year_wan=values["first_year"], loan_wan=values["loan"],
                                      rate_percent=values["rate"], manufacturing=not values["not_manufacturing"])
    if rule == rules.EQUIPMENT_AWARD:
        return rules.equipment_award(plan_rules.equipment_award, total_wan=values["total"],
                                     equipment_wan=values["equipment"], leading=not values["other_industry"],
                                     nature=values["nature"], producing=not values["not_producing"])
    return rules.reits_subsidy(plan_rules.reits, pre_expenses_wan=values["pre_expenses"],
                               in_reserve=not values["not_in_reserve"], registered_locally=not values["not_local"],
                               issued=values["issued"])
