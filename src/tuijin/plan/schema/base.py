"""Building blocks of the plan schema: scalar types, the frozen base model, and how validators
report issues (:func:`_fail` carries ``(relative path, message)`` pairs the loader expands).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any, Literal, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

PathPart = str | int
Issue = tuple[tuple[PathPart, ...], str]


def _reject(path: tuple[PathPart, ...], message: str) -> NoReturn:
    """Raise a single issue at ``path`` (relative to the model being validated)."""
    raise PydanticCustomError("plan_issues", "{summary}", {"summary": message, "issues": [(path, message)]})


def _fail(issues: list[Issue]) -> None:
    """Raise the collected cross-check issues as one pydantic error.

    The loader unpacks ``ctx["issues"]`` into one PlanIssue per path.
    """
    if issues:
        summary = "；".join(message for _, message in issues)
        raise PydanticCustomError("plan_issues", "{summary}", {"summary": summary, "issues": issues})


_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DIVISION_CODE = re.compile(r"^\d{6}$")
_NUMERALS = "一二三四五六七八九十"
# "一", "二(六)", "二(六)16", "三(三)"; full-width brackets are accepted as written in the seed.
_CLAUSE = re.compile(rf"^[{_NUMERALS}]+(\([{_NUMERALS}]+\))?(\d+)?$")


def _number(value: Any) -> Any:
    """Accept only real numbers: a quoted '10' or a boolean is a typo, not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("number_type", "应为数字（expected a number）")
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise PydanticCustomError(
            "slug",
            "代码应由小写英文字母、数字和下划线组成且以字母开头（expected a code like 'jinshui' or 'fai_growth'）",
        )
    return value


def _plan_id(value: str) -> str:
    if not _PLAN_ID.match(value):
        raise PydanticCustomError(
            "plan_id", "方案编号应由小写字母、数字和连字符组成（expected an id like 'zhengzhou-2022'）"
        )
    return value


def _division_code(value: str) -> str:
    if not _DIVISION_CODE.match(value):
        raise PydanticCustomError(
            "division_code", '统计用区划代码应为6位数字（expected 6 digits, e.g. "410102"）'
        )
    return value


def _normalise_clause(value: str) -> str:
    return value.strip().replace("（", "(").replace("）", ")")


def _clause(value: str) -> str:
    value = _normalise_clause(value)
    if not _CLAUSE.match(value):
        raise PydanticCustomError(
            "clause", '条款编号格式不符（expected a clause of the seed like "二(六)16"）'
        )
    return value


def _source(value: str) -> str:
    refs = [_normalise_clause(part) for part in value.split("、")]
    if not all(_CLAUSE.match(ref) for ref in refs):
        raise PydanticCustomError(
            "source",
            '出处应为方案条款编号，多个以“、”分隔（expected clauses of the seed like "二(六)16" or "一、二(一)1"）',
        )
    return "、".join(refs)


Number = Annotated[Decimal, BeforeValidator(_number)]
Amount = Annotated[Decimal, BeforeValidator(_number), Field(ge=0)]
Percent = Annotated[Decimal, BeforeValidator(_number), Field(ge=0, le=100)]
Count = Annotated[int, Field(strict=True, ge=0)]
Positive = Annotated[int, Field(strict=True, ge=1)]
Year = Annotated[int, Field(strict=True, ge=2000, le=2100)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, AfterValidator(_slug)]
ClauseRef = Annotated[str, AfterValidator(_clause)]
Source = Annotated[str, AfterValidator(_source)]
Period = Literal["month", "quarter", "year"]
Nature = Literal["new", "expansion", "renovation"]


def _duplicates(values: Iterable[Any]) -> set[Any]:
    return {value for value, n in Counter(values).items() if n > 1}


def _unique_codes(items: Iterable[Any], section: tuple[PathPart, ...], what: str) -> list[Issue]:
    """One issue per repeated ``code`` in a list of items, at ``section[i].code``."""
    items = list(items)
    repeated = _duplicates(item.code for item in items)
    return [
        ((*section, i, "code"), f"{what}代码 {item.code!r} 重复（codes must be unique）")
        for i, item in enumerate(items)
        if item.code in repeated
    ]


def _weight_issues(weights: dict[str, Decimal], labels: dict[str, str]) -> list[Issue]:
    issues: list[Issue] = []
    total = sum(weights.values(), Decimal(0))
    if total != 100:
        issues.append((("weights",), f"权重合计应为 100（weights must sum to 100），实际为 {total}"))
    issues += [
        (("labels", key), "缺少该权重项的中文名称（every weight needs a label）")
        for key in weights
        if key not in labels
    ]
    issues += [
        (("labels", key), "没有对应的权重项（label for an unknown weight）")
        for key in labels
        if key not in weights
    ]
    return issues


class Frozen(BaseModel):
    """Base of every plan model: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CodeName(Frozen):
    """A coded choice with its Chinese name."""

    code: Slug
    name: Text


class Rule(Frozen):
    """A rule of the plan: every rule names its Chinese label and source clause."""

    label: Text
    source: Source


class CodeListRule(Rule):
    """A rule that is an ordered list of coded choices (fund sources, maturity levels, …)."""

    items: tuple[CodeName, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> CodeListRule:
        _fail(_unique_codes(self.items, ("items",), ""))
        return self

    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    def name(self, code: str) -> str:
        """Chinese name of a code; KeyError when unknown."""
        for item in self.items:
            if item.code == code:
                return item.name
        raise KeyError(code)
