"""Money: entered and shown in 万元 (and 亿元 in summaries), stored as integer yuan.

SQLite keeps DecimalField values as floating point and its SUM() drifts (DESIGN §4.0),
so every amount is a ``BigIntegerField`` of yuan, aggregated in SQL on integers,
and converted only here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

YUAN_PER_WAN = 10_000
YUAN_PER_YI = 100_000_000
WAN_QUANT = Decimal("0.0001")  # 1 元 expressed in 万元


class MoneyError(ValueError):
    """An amount that cannot be read as 万元."""


#: Integer digits an amount in 万元 may have (10^20 万元 is far beyond any budget; the 28-digit decimal
#: context must still hold the amount with its 4 decimals).
MAX_WAN_DIGITS = 20


def parse_wan(value: object) -> Decimal:
    """Read an amount in 万元 from user input (str, int, float, Decimal)."""
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, bool) or value is None:
        raise MoneyError("应为数字")
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        if not text:
            raise MoneyError("应为数字")
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise MoneyError(f"应为数字，实际为“{text}”") from exc
    if not amount.is_finite():
        raise MoneyError("应为有限的数字")
    if amount and amount.adjusted() >= MAX_WAN_DIGITS:  # beyond any budget, and beyond exact decimals
        raise MoneyError(f"数值过大（超过{MAX_WAN_DIGITS}位整数）")
    if amount != amount.quantize(WAN_QUANT, rounding=ROUND_HALF_UP):
        raise MoneyError("最多保留4位小数（精确到元）")
    return amount


def wan_to_yuan(amount_wan: Decimal | int | str | float) -> int:
    """1234.5678 万元 → 12345678 元 (exact)."""
    return int(parse_wan(amount_wan) * YUAN_PER_WAN)


def yuan_to_wan(amount_yuan: int | None) -> Decimal | None:
    """12345678 元 → Decimal('1234.5678') 万元."""
    if amount_yuan is None:
        return None
    return (Decimal(int(amount_yuan)) / YUAN_PER_WAN).quantize(WAN_QUANT)


def yuan_to_yi(amount_yuan: int | None) -> Decimal | None:
    if amount_yuan is None:
        return None
    return Decimal(int(amount_yuan)) / YUAN_PER_YI


def format_wan(amount_yuan: int | None, places: int = 2) -> str:
    """Format for display: '1,234.57'."""
    if amount_yuan is None:
        return "—"
    wan = yuan_to_wan(amount_yuan)
    return f"{wan:,.{places}f}"


def format_yi(amount_yuan: int | None, places: int = 2) -> str:
    if amount_yuan is None:
        return "—"
    return f"{yuan_to_yi(amount_yuan):,.{places}f}"
