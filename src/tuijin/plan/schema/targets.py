"""Official statistics (``indicators``) and the city's targets (``targets``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .base import Amount, Frozen, Slug, Source, Text, _reject

# Targets other modules read by name: a plan without them cannot drive the
# platform (growth rankings, escalation, forecasts).
REQUIRED_TARGETS = (
    "fai_growth",
    "unit_fai_growth",
    "industrial_growth",
    "infrastructure_growth",
    "real_estate_growth",
)


class Indicator(Frozen):
    """An official FAI statistic and the target its growth is measured against."""

    code: Slug
    name: Text
    growth_target: Slug | None = None


class Target(Frozen):
    """A city target; every target is a minimum ("以上", "不低于")."""

    value: Amount
    unit: Literal["percent", "count", "yi", "wan"]
    label: Text
    source: Source

    @model_validator(mode="after")
    def _value_fits_unit(self) -> Target:
        if self.unit == "percent" and self.value > 100:
            _reject(
                ("value",),
                f"百分比应在 0–100 之间（expected a percentage from 0 to 100），实际为 {self.value}",
            )
        if self.unit == "count" and self.value != self.value.to_integral_value():
            _reject(("value",), f"个数应为整数（expected a whole number），实际为 {self.value}")
        return self
