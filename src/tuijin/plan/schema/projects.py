"""Project categories and the approval items each needs before construction (二(二)5、二(五)14).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import CodeName, Frozen, Rule, Slug, Text, _duplicates, _fail, _unique_codes


class Category(CodeName):
    """A project category (工业, 基础设施, …)."""


class ApprovalItem(Frozen):
    """An approval procedure (联审联批事项) and the department that grants it."""

    code: Slug
    name: Text
    department: Slug


class ApprovalCatalogueRule(Rule):
    """Approval items each project category needs before construction (二(二)5、二(五)14)."""

    items: tuple[ApprovalItem, ...] = Field(min_length=1)
    required: dict[Slug, tuple[Slug, ...]]

    @model_validator(mode="after")
    def _references(self) -> ApprovalCatalogueRule:
        issues = _unique_codes(self.items, ("items",), "审批事项")
        known = {item.code for item in self.items}
        for category, codes in self.required.items():
            repeated = _duplicates(codes)
            for j, code in enumerate(codes):
                if code not in known:
                    issues.append(
                        (
                            ("required", category, j),
                            f"未知的审批事项 {code!r}（unknown approval item; expected a code under items）",
                        )
                    )
                elif code in repeated:
                    issues.append((("required", category, j), f"审批事项 {code!r} 重复（listed twice）"))
        _fail(issues)
        return self

    def item(self, code: str) -> ApprovalItem:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def items_for(self, category: str) -> tuple[ApprovalItem, ...]:
        """The approval items a project of ``category`` needs, in catalogue order of the category."""
        return tuple(self.item(code) for code in self.required[category])
