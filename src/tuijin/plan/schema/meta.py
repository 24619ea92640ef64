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
