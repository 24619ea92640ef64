"""How the programmes' figure sets write their numbers: money as 万元 or 亿元 with two decimals, rates as floats."""

from __future__ import annotations

from decimal import Decimal

from tuijin.toolkit.money import yuan_to_wan

_CENT = Decimal("0.01")


def wan(amount_yuan: int | None) -> float:
    return float((yuan_to_wan(amount_yuan or 0) or Decimal(0)).quantize(_CENT))


def yi(amount_yuan: int | None) -> float:
    return float((Decimal(amount_yuan or 0) / 100_000_000).quantize(_CENT))


def num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
