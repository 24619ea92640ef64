"""Organisations the plan names: city departments and reporting units (区县（市）、开发区).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, model_validator

from .base import CodeName, Frozen, Slug, Text, _division_code, _number, _reject


class Department(CodeName):
    """A city department (市政府部门), e.g. ``fgw`` 市发展改革委."""


class Unit(Frozen):
    """A reporting unit: a district/county/city (区县（市）) or development zone (开发区)."""

    code: Slug
    name: Text
    short_name: Text
    kind: Literal["district", "zone"]
    division_code: Annotated[str, AfterValidator(_division_code)] | None
    centre: tuple[Annotated[float, BeforeValidator(_number)], Annotated[float, BeforeValidator(_number)]]

    @model_validator(mode="after")
    def _centre_in_china(self) -> Unit:
        lon, lat = self.centre
        if not (73 <= lon <= 136 and 3 <= lat <= 54):
            _reject(
                ("centre",),
                f"坐标应为 [经度, 纬度] 且位于中国境内（expected [longitude, latitude] in China），实际为 [{lon}, {lat}]",
            )
        return self
