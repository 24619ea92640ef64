"""The plan document's identity (``meta``) and the seed's numbered clauses (``clauses``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, model_validator

from .base import ClauseRef, Frozen, Slug, Source, Text, Year, _plan_id, _reject


class Reference(Frozen):
    """A document the seed cites (e.g. 郑政办〔2022〕27号 in 二(二)6)."""

    document_number: Text
    title: Text
    cited_in: Source


class Meta(Frozen):
    """Identity of the plan document."""

    id: Annotated[str, AfterValidator(_plan_id)]
    year: Year
    city: Text
    title: Text
    document_number: Text
    issued: date
    issuer: Text | None = None
    references: tuple[Reference, ...] = ()
    #: An amendment names the base plan it amends (its ``meta.id``) and the date it takes effect;
    #: results before that date stay under the base plan (like OpenFisca's dated parameters).
    amends: Annotated[str, AfterValidator(_plan_id)] | None = None
    effective: date | None = None

    @property
    def city_key(self) -> str:
        """The city part of the id (``zhengzhou`` of ``zhengzhou-2022``): stable across years."""
        head, _, tail = self.id.rpartition("-")
        return head if tail.isdigit() and head else self.id

    @model_validator(mode="after")
    def _amendment_is_dated(self) -> Meta:
        if self.amends and self.effective is None:
            _reject(("effective",), "修订方案须写明生效日期 meta.effective（an amendment needs its effective date）")
        if self.effective is not None and not self.amends:
            _reject(("amends",), "写了生效日期的方案须用 meta.amends 指明所修订的基础方案编号")
        if self.effective is not None and self.effective.year != self.year:
            _reject(("effective",), f"修订生效日期应在 {self.year} 年内")
        return self

    @model_validator(mode="after")
    def _issued_near_year(self) -> Meta:
        if self.issued.year not in (self.year - 1, self.year):
            _reject(
                ("issued",),
                f"印发日期应在 {self.year - 1} 或 {self.year} 年（issued in or just before the plan year）",
            )
        return self


class Clause(Frozen):
    """A numbered clause of the seed and its responsible departments (责任单位)."""

    clause: ClauseRef
    title: Text
    departments: tuple[Slug, ...] = ()
