"""Load a plan file strictly, reporting every problem with its path.

Loading is two steps. YAML is read with :class:`PlanLoader`, a SafeLoader that
refuses duplicate keys (PyYAML silently keeps the last one) and reads decimal
numbers as :class:`~decimal.Decimal`. The data is then validated by
:class:`tuijin.plan.schema.Plan`. Every problem found — duplicate keys, or all
validation errors at once — is raised together in one :class:`PlanError`
whose ``errors`` are :class:`PlanIssue` (path, Chinese message stating what is
wanted, line)::

    targets.fai_growth.value: 应为数字（expected a number），实际为 'ten'（第 12 行）

Checks that span sections (a unit named in ``rules.ranking`` must exist under
``units``) run once every section is well-formed, so a file with structural
errors may show more cross-reference errors after those are fixed.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import types
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from .schema import Plan

__all__ = [
    "DuplicateKeyError",
    "PlanError",
    "PlanIssue",
    "PlanLoader",
    "format_path",
    "load_plan",
    "parse_plan",
]

PathParts = tuple[str | int, ...]


@dataclass(frozen=True)
class PlanIssue:
    """One problem in a plan file: where (dotted path, line) and what is wanted."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.line:
            where = f"（第 {self.line} 行第 {self.column} 列）" if self.column else f"（第 {self.line} 行）"
        return f"{self.path}: {self.message}{where}" if self.path else f"{self.message}{where}"


class PlanError(Exception):
    """A plan file that cannot be used; ``errors`` lists every problem found."""

    def __init__(self, errors: list[PlanIssue], *, source: str = "<string>") -> None:
        self.errors = list(errors)
        self.source = source
        lines = "\n".join(f"  {issue}" for issue in self.errors)
        super().__init__(f"方案文件 {source} 有 {len(self.errors)} 处错误（invalid plan file）：\n{lines}")


def format_path(parts: PathParts) -> str:
    """``("units", 3, "code")`` → ``"units[3].code"``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --- YAML -------------------------------------------------------------------------


class DuplicateKeyError(yaml.YAMLError):
    """Raised by :class:`PlanLoader` when a mapping repeats a key; ``issues`` names each repeat."""

    def __init__(self, issues: list[PlanIssue]) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


_MERGE_KEY = "tag:yaml.org,2002:merge"


class PlanLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys and reads floats as Decimal.

    Before constructing Python objects it walks the node tree once, recording
    each path's line (``self.lines``) and every repeated key in a mapping; any
    repeat raises, naming the path and both lines.
    """

    lines: dict[PathParts, int]

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        self.lines = {}
        duplicates: list[PlanIssue] = []
        self._walk(node, (), duplicates, set())
        if duplicates:
            raise DuplicateKeyError(duplicates)
        return self.construct_document(node)

    def _walk(self, node: yaml.Node, path: PathParts, duplicates: list[PlanIssue], active: set[int]) -> None:
        if id(node) in active:  # a recursive alias: nothing more to index
            return
        active.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE_KEY:
                    continue
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
                line = key_node.start_mark.line + 1
                if key in seen:
                    duplicates.append(
                        PlanIssue(
                            format_path((*path, key)),
                            f"键重复（duplicate key; each key may appear once），第一次出现在第 {seen[key]} 行",
                            line,
                        )
                    )
                else:
                    seen[key] = line
                self.lines.setdefault((*path, key), line)
                self._walk(value_node, (*path, key), duplicates, active)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*path, i), duplicates, active)
        active.discard(id(node))


def _construct_decimal(loader: PlanLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "").lower()
    if text in {".inf", "+.inf", "-.inf", ".nan"}:
        return Decimal(text.replace(".", ""))
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the YAML resolver only sends valid floats
        raise yaml.constructor.ConstructorError(
            None, None, f"invalid number {text!r}", node.start_mark
        ) from None


PlanLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


# --- pydantic errors → Chinese --------------------------------------------------------


def _show(value: Any) -> str:
    """A short description of a wrong input."""
    if value is None:
        return "空值（null）"
    if isinstance(value, dict):
        return "键值映射"
    if isinstance(value, list | tuple):
        return "列表"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int | float):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…'"


def _unwrap(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            options = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(options) != 1:
                return tp
            tp = options[0]
        else:
            return tp


def _model_at(parts: PathParts) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``parts``, if any."""
    tp: Any = Plan
    for part in parts:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if not isinstance(part, str) or part not in tp.model_fields:
                return None
            tp = tp.model_fields[part].annotation
        elif get_origin(tp) in (tuple, list):
            tp = get_args(tp)[0]
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _unknown_key(parts: PathParts) -> str:
    message = "未知的键（unknown key）"
    model = _model_at(parts[:-1])
    if model is not None:
        allowed = list(model.model_fields)
        close = difflib.get_close_matches(str(parts[-1]), allowed, n=1)
        if close:
            message += f"，是否应为 {close[0]!r}？"
        else:
            message += "。"
        message += f"可用的键（allowed）：{', '.join(allowed)}"
    return message


def _options(expected: str) -> str:
    return re.sub(r",? or |, ", "、", expected)


_TYPE_MESSAGES = {
    "number_type": "应为数字（expected a number）",
    "decimal_type": "应为数字（expected a number）",
    "decimal_parsing": "应为数字（expected a number）",
    "float_type": "应为数字（expected a number）",
    "float_parsing": "应为数字（expected a number）",
    "finite_number": "应为有限的数字（expected a finite number）",
    "int_type": "应为整数（expected a whole number）",
    "int_parsing": "应为整数（expected a whole number）",
    "int_from_float": "应为整数（expected a whole number）",
    "string_type": "应为文本（expected text）",
    "bool_type": "应为 true 或 false（expected true or false）",
    "list_type": "应为列表（expected a list）",
    "tuple_type": "应为列表（expected a list）",
    "dict_type": "应为键值映射（expected a mapping of keys to values）",
    "model_type": "应为键值映射（expected a mapping of keys to values）",
    "model_attributes_type": "应为键值映射（expected a mapping of keys to values）",
    "date_type": "应为日期，格式 YYYY-MM-DD（expected a date）",
    "date_parsing": "应为日期，格式 YYYY-MM-DD（expected a date）",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD（expected a date）",
    "date_from_datetime_inexact": "应为日期，不含时间（expected a date without time）",
    "string_too_short": "不能为空（expected non-empty text）",
}


def _describe(error: dict[str, Any], parts: PathParts) -> str:
    """A Chinese message for one pydantic error, stating what is wanted."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = f"，实际为 {_show(error.get('input'))}"
    if kind == "missing":
        return "缺少必填项（required key is missing）"
    if kind == "extra_forbidden":
        return _unknown_key(parts)
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind] + got
    if kind == "literal_error":
        return f"应为以下之一：{_options(str(ctx.get('expected', '')))}（expected one of these）{got}"
    if kind == "enum":
        return f"应为以下之一：{_options(str(ctx.get('expected', '')))}（expected one of these）{got}"
    if kind == "greater_than_equal":
        return f"应不小于 {ctx['ge']}（expected ≥ {ctx['ge']}）{got}"
    if kind == "greater_than":
        return f"应大于 {ctx['gt']}（expected > {ctx['gt']}）{got}"
    if kind == "less_than_equal":
        return f"应不大于 {ctx['le']}（expected ≤ {ctx['le']}）{got}"
    if kind == "less_than":
        return f"应小于 {ctx['lt']}（expected < {ctx['lt']}）{got}"
    if kind == "too_short":
        return f"至少应有 {ctx.get('min_length')} 项（expected at least {ctx.get('min_length')} item(s)）"
    if kind == "too_long":
        return f"最多应有 {ctx.get('max_length')} 项（expected at most {ctx.get('max_length')} item(s)）"
    if kind in {"value_error", "assertion_error"}:
        return str(ctx.get("error", error["msg"]))
    if kind in {"slug", "plan_id", "division_code", "clause", "source"}:
        return error["msg"] + got
    return f"无效的值（invalid value: {error['msg']}）{got}"


def _line_of(lines: dict[PathParts, int], parts: PathParts) -> int | None:
    """The line of ``parts`` or of its nearest ancestor present in the file."""
    for end in range(len(parts), -1, -1):
        line = lines.get(parts[:end])
        if line is not None:
            return line
    return None


def _issues_from(exc: ValidationError, lines: dict[PathParts, int]) -> list[PlanIssue]:
    issues: list[PlanIssue] = []
    for error in exc.errors(include_url=False):
        loc: PathParts = tuple(part for part in error["loc"] if part != "[key]")
        if error["type"] == "plan_issues":
            for relative, message in error["ctx"]["issues"]:
                parts = (*loc, *relative)
                issues.append(PlanIssue(format_path(parts), message, _line_of(lines, parts)))
        elif not loc and error["type"] in {"model_type", "model_attributes_type"}:
            issues.append(
                PlanIssue(
                    "",
                    f"方案文件顶层应为键值映射（expected a mapping at the top level），实际为 {_show(error['input'])}",
                    1,
                )
            )
        else:
            issues.append(PlanIssue(format_path(loc), _describe(error, loc), _line_of(lines, loc)))
    issues.sort(key=lambda issue: issue.line if issue.line is not None else 10**9)
    return issues


# --- entry points ---------------------------------------------------------------------


def parse_plan(text: str, *, source: str = "<string>") -> Plan:
    """Parse and validate plan YAML; raise :class:`PlanError` listing every problem.

    ``plan.hash`` is the sha256 of ``text`` encoded as UTF-8.
    """
    return _parse(text, text.encode("utf-8"), source=source)


def load_plan(path: str | Path) -> Plan:
    """Load a plan file; raise :class:`PlanError` if it is missing, unreadable or invalid."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanError(
            [PlanIssue("", f"找不到方案文件（plan file not found）：{path}")], source=str(path)
        ) from None
    except OSError as exc:
        raise PlanError(
            [PlanIssue("", f"无法读取方案文件（cannot read plan file）：{path}：{exc.strerror}")],
            source=str(path),
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(
            [PlanIssue("", f"方案文件应为 UTF-8 编码（expected UTF-8 text）：第 {exc.start} 字节无法解码")],
            source=str(path),
        ) from None
    plan = _parse(text, data, source=str(path))
    plan._source_path = path
    return plan


def _parse(text: str, data: bytes, *, source: str) -> Plan:
    loader = PlanLoader(text)
    try:
        raw = loader.get_single_data()
    except DuplicateKeyError as exc:
        raise PlanError(exc.issues, source=source) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = "：".join(part for part in (exc.context, exc.problem) if part) or "syntax error"
        issue = PlanIssue(
            "",
            f"YAML 语法错误（invalid YAML）：{problem}",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        )
        raise PlanError([issue], source=source) from None
    except yaml.YAMLError as exc:
        raise PlanError([PlanIssue("", f"YAML 语法错误（invalid YAML）：{exc}")], source=source) from None
    finally:
        loader.dispose()
    if raw is None:
        raise PlanError([PlanIssue("", "方案文件为空（the plan file is empty）")], source=source)
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        raise PlanError(_issues_from(exc, getattr(loader, "lines", {})), source=source) from None
    plan._hash = hashlib.sha256(data).hexdigest()
    return plan
