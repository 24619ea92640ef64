"""The REITs lists (试点一批 / 储备一批 / 谋划一批) over the pipeline stages (二(五)12、二(六)18).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import CodeName, Rule, Slug, _fail, _unique_codes


class ReitsList(CodeName):
    stages: tuple[Slug, ...] = Field(min_length=1)


class ReitsListsRule(Rule):
    """The REITs lists 试点一批 / 储备一批 / 谋划一批 and the pipeline stages each holds (二(五)12、二(六)18)."""

    items: tuple[ReitsList, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> ReitsListsRule:
        _fail(_unique_codes(self.items, ("items",), ""))
        return self

    def list_for(self, stage: str) -> ReitsList | None:
        for item in self.items:
            if stage in item.stages:
                return item
        return None
