"""Input fields: money in 万元, dates, percents, flags and choices, as forms, API bodies, CLI options
and workbook cells give them.

One reader per kind of value for every door (DESIGN §9), so that "1,234.5" is the same amount and
"2022/6/1" the same date wherever it is typed. Each reader returns the value (``None`` for a blank
optional field) or raises :class:`~tuijin.toolkit.errors.ValidationFailed` naming ``field``, with the
Chinese message the door shows. Doors word their messages differently (a form field beside its
label, an API error that names the field, an import report that names the column), so each reader
takes its wording: a ``words`` set (:data:`AMOUNT`, :data:`LABELLED`, :data:`CELL` …) or a ``message``
with ``{label}`` and ``{text}`` (the value as typed) placeholders. A form that reports every field
at once reads each through :func:`collect`.

Money is :mod:`tuijin.toolkit.money`'s: at most 4 decimals of 万元 (whole yuan), stored as integer yuan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from .errors import ValidationFailed
from .money import WAN_QUANT, YUAN_PER_WAN, YUAN_PER_YI, MoneyError, parse_wan
from .spreadsheets import cell_text

__all__ = [
    "AMOUNT",
    "AMOUNT_NUMBER",
    "CELL",
    "DATE_MESSAGE",
    "LABELLED",
    "NO_WORDS",
    "PERCENT",
    "PERCENT_CELL",
    "YES_WORDS",
    "MoneyWords",
    "PercentWords",
    "choice",
    "collect",
    "date",
    "flag",
    "is_blank",
    "money_wan",
    "money_yi",
    "money_yuan",
    "percent",
]

T = TypeVar("T")

_NOT_NUMBERS = (bool, dt.date, dt.time, dt.timedelta)


def is_blank(value: Any) -> bool:
    """Nothing entered: ``None``, or text that is empty once stripped."""
    return value is None or (isinstance(value, str) and not value.strip())


def collect(errors: dict[str, list[str]], read: Callable[..., T], value: Any, /, **options: Any) -> T | None:
    """``read(value, **options)``, adding a refusal to ``errors`` (field → messages) instead of raising,
    so that a form reports every field's problem at once; ``None`` when refused."""
    try:
        return read(value, **options)
    except ValidationFailed as exc:
        for name, messages in exc.errors.items():
            errors.setdefault(name, []).extend(messages)
        return None


# --- money (万元) -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyWords:
    """How a door words its refusals of an amount. Placeholders: ``{label}`` (the field's name),
    ``{reason}`` (why the amount cannot be read, from :func:`tuijin.toolkit.money.parse_wan`),
    ``{amount}`` (the amount read) and ``{maximum}`` (the bound, with thousands separators)."""

    required: str
    invalid: str
    negative: str
    not_positive: str
    too_large: str


#: A form or API field shown beside its name: "金额应为数字（单位万元）", "金额不能为负数".
AMOUNT = MoneyWords(
    required="必填，单位万元",
    invalid="金额{reason}（单位万元）",
    negative="金额不能为负数",
    not_positive="金额应大于0（单位万元）",
    too_large="金额超过合理范围（应不超过{maximum}万元），请检查单位是否为万元",
)
#: As :data:`AMOUNT`, a blank amount refused as unreadable: "金额应为数字（单位万元）".
AMOUNT_NUMBER = replace(AMOUNT, required="金额应为数字（单位万元）")
#: A message that names its field: "总投资（万元）：不能为负数".
LABELLED = MoneyWords(
    required="{label}：必填",
    invalid="{label}：{reason}",
    negative="{label}：不能为负数",
    not_positive="{label}：应大于0",
    too_large="{label}：数额过大",
)
#: A workbook cell, whose row and column the import report names: "不能为负数（填写的是-1）".
CELL = MoneyWords(
    required="必填",
    invalid="{reason}（单位万元）",
    negative="不能为负数（填写的是{amount}）",
    not_positive="应大于0（填写的是{amount}）",
    too_large="金额{amount}万元过大，请核对单位是否为万元",
)


def money_wan(value: Any, *, field: str, label: str = "", words: MoneyWords = AMOUNT, required: bool = True,
              positive: bool = False, maximum_wan: Decimal | int | None = None) -> Decimal | None:
    """An amount in 万元 (str, int, float, Decimal; thousands separators allowed) → ``Decimal``.

    Blank is ``None`` unless ``required``; refused: text that is no number, more than 4 decimals
    (finer than a yuan), a negative amount (zero too when ``positive``), more than ``maximum_wan``.
    """
    if is_blank(value):
        if not required:
            return None
        raise ValidationFailed(words.required.format(label=label), field=field)
    if type(value) is float:  # the common cell, without parse_wan's string handling
        amount = Decimal(repr(value))
        try:  # a float beyond the decimal context (1e30) cannot be quantized: read it the long way
            exact = amount.is_finite() and amount == amount.quantize(WAN_QUANT)
        except InvalidOperation:
            exact = False
        if not exact:
            amount = _read_wan(value, field=field, label=label, words=words)
    elif isinstance(value, _NOT_NUMBERS):
        raise ValidationFailed(words.invalid.format(label=label, reason="应为数字"), field=field)
    else:
        amount = _read_wan(value, field=field, label=label, words=words)
    if positive and amount <= 0:
        raise ValidationFailed(words.not_positive.format(label=label, amount=_plain(amount)), field=field)
    if amount < 0:
        raise ValidationFailed(words.negative.format(label=label, amount=_plain(amount)), field=field)
    if maximum_wan is not None and amount > maximum_wan:
        message = words.too_large.format(label=label, amount=_plain(amount), maximum=f"{maximum_wan:,}")
        raise ValidationFailed(message, field=field)
    return amount


def money_yuan(value: Any, **options: Any) -> int | None:
    """:func:`money_wan` as integer yuan (exact: 万元 carry at most 4 decimals)."""
    amount = money_wan(value, **options)
    return None if amount is None else int(amount * YUAN_PER_WAN)


def money_yi(value: Any, *, field: str, maximum_yi: Decimal | int | None = None) -> int:
    """A signed deal's amount in 亿元 (二(四)11) → integer yuan, exact to the yuan; more than zero."""
    try:
        amount = Decimal(str(value).strip().replace(",", "")) if value not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationFailed(f"金额应为数字（单位亿元），实际为“{value}”", field=field)
    if amount <= 0:
        raise ValidationFailed("金额应大于0（单位亿元）", field=field)
    if maximum_yi is not None and amount > maximum_yi:
        raise ValidationFailed(f"金额超过合理范围（应不超过{maximum_yi}亿元），请检查单位是否为亿元", field=field)
    yuan = amount * YUAN_PER_YI
    if yuan != yuan.to_integral_value():
        raise ValidationFailed("金额最多精确到元（亿元后8位小数）", field=field)
    return int(yuan)


def _read_wan(value: Any, *, field: str, label: str, words: MoneyWords) -> Decimal:
    try:
        return parse_wan(value)
    except MoneyError as exc:
        raise ValidationFailed(words.invalid.format(label=label, reason=exc), field=field) from None


def _plain(number: Decimal) -> str:
    """12.50 → '12.5', 2E+9 → '2000000000': a number as the user would have typed it."""
    return f"{number.normalize():f}"


# --- percents ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PercentWords:
    """How a door words its refusals of a percentage. Placeholders: ``{label}``, ``{text}`` (as typed),
    ``{number}`` (the number read), ``{low}`` and ``{high}`` (the bounds)."""

    invalid: str
    out_of_range: str
    too_precise: str
    #: For a value that is no text to quote (a date, a yes/no cell); else ``invalid``.
    not_a_number: str = ""
    #: For NaN or infinity; else ``not_a_number``, else ``out_of_range``.
    not_finite: str = ""


#: A form's or API's "完成百分比": "应在0到100之间，实际为120".
PERCENT = PercentWords(
    invalid="应为0到100之间的数字，实际为“{text}”",
    out_of_range="应在0到100之间，实际为{text}",
    too_precise="最多保留2位小数",
)
#: A workbook cell: "应在0–100之间，实际为120", "最多保留2位小数，实际为12.345".
PERCENT_CELL = PercentWords(
    invalid="应为0–100之间的数字，实际为“{text}”",
    out_of_range="应在0–100之间，实际为{number}",
    too_precise="最多保留2位小数，实际为{number}",
    not_a_number="应为0–100之间的数字",
)


def percent(value: Any, *, field: str, label: str = "", words: PercentWords = PERCENT, low: Decimal | int = 0,
            high: Decimal | int = 100, places: int = 2, required: bool = False,
            required_message: str = "必填") -> Decimal | None:
    """A percentage (``12.5``, ``"12.5%"``) between ``low`` and ``high`` with at most ``places`` decimals,
    → ``Decimal`` quantized to ``places``; blank is ``None`` unless ``required``."""
    quant = Decimal(1).scaleb(-places)
    if type(value) is float:  # the common cell
        number = Decimal(repr(value))
        if number.is_finite() and low <= number <= high and number == number.quantize(quant):
            return number.quantize(quant)
    elif is_blank(value):
        if required:
            raise ValidationFailed(required_message.format(label=label), field=field)
        return None
    text = cell_text(value)
    if isinstance(value, _NOT_NUMBERS):
        raise ValidationFailed((words.not_a_number or words.invalid).format(label=label, text=text), field=field)
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        text = str(value).strip().rstrip("%％").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationFailed(words.invalid.format(label=label, text=cell_text(value)), field=field) from None
    if not number.is_finite():
        message = words.not_finite or words.not_a_number or words.out_of_range
        raise ValidationFailed(message.format(label=label, text=text, number=number, low=low, high=high),
                               field=field)
    if not low <= number <= high:
        raise ValidationFailed(words.out_of_range.format(label=label, text=text, number=_plain(number), low=low,
                                                         high=high), field=field)
    if number != number.quantize(quant):
        raise ValidationFailed(words.too_precise.format(label=label, text=text, number=_plain(number)), field=field)
    return number.quantize(quant)


# --- dates -------------------------------------------------------------------------------------------------

DATE_MESSAGE = "日期格式应为YYYY-MM-DD"


def date(value: Any, *, field: str, label: str = "", required: bool = True, message: str = DATE_MESSAGE,
         slashes: bool = False) -> dt.date | None:
    """An ISO date (``2022-06-01``; a ``date`` or ``datetime`` as a spreadsheet cell gives it) → ``date``.

    ``slashes`` also reads ``2022/06/01`` (as Excel users type it in a text cell). Blank is ``None``
    unless ``required``. ``message`` may quote the value as ``{text}`` and name the field as ``{label}``.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        if not required:
            return None
        raise ValidationFailed(message.format(label=label, text=text), field=field)
    try:
        return dt.date.fromisoformat(text.replace("/", "-") if slashes else text)
    except ValueError:
        raise ValidationFailed(message.format(label=label, text=text), field=field) from None


# --- flags and choices -------------------------------------------------------------------------------------

#: Words read as yes / no (lower case), besides ``True`` and ``False``.
YES_WORDS = frozenset({"1", "true", "yes", "y", "on", "是"})
NO_WORDS = frozenset({"0", "false", "no", "n", "off", "否"})


def flag(value: Any, *, field: str, label: str = "", yes: Collection[str] = YES_WORDS,
         no: Collection[str] = NO_WORDS, required: bool = False, message: str = "应为“是”或“否”，实际为“{text}”",
         required_message: str | None = None) -> bool:
    """Yes or no: ``True``/``False``, or one of the ``yes``/``no`` words (case-insensitive: 是/否,
    true/false, 1/0 …). Blank is ``False`` unless ``required``."""
    if isinstance(value, bool):
        return value
    if type(value) is str:  # the common case: a word exactly as listed
        if value in yes:
            return True
        if value in no:
            return False
    text = cell_text(value)
    if not text:
        if required:
            raise ValidationFailed((required_message or message).format(label=label, text=text), field=field)
        return False
    word = text.lower()
    if word in yes:
        return True
    if word in no:
        return False
    raise ValidationFailed(message.format(label=label, text=text), field=field)


def choice(value: Any, *, field: str, choices: Iterable[str], label: str = "", blank: bool = False,
           message: str = "无效的取值“{text}”，应为 {options} 之一") -> str:
    """One of ``choices`` (codes, stripped); blank is ``""`` when ``blank`` is allowed. ``{options}`` in
    the message lists the choices joined by 、."""
    allowed = list(choices)
    text = "" if value is None else str(value).strip()
    if (blank and not text) or text in allowed:
        return text
    options = "、".join(code for code in allowed if code)
    raise ValidationFailed(message.format(label=label, text=text, options=options), field=field)
