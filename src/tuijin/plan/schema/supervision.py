"""Supervision tasks (督办, 三(三)): deadlines and the follow-up cycle.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import Count, Frozen, Positive, Slug, Source, Text


class SupervisionSection(Frozen):
    """Supervision tasks (督办, 三(三) "月督办、紧盯不放"): default deadlines and the follow-up cycle."""

    label: Text
    source: Source
    default_deadline_days: Positive
    #: Days of one follow-up cycle (月督办): a task overdue longer than this is repeatedly overdue.
    follow_up_cycle_days: Positive
    reminder_days_before: Count
    #: Deadline (days) of a task created from a last-place escalation, by level.
    escalation_deadline_days: dict[Slug, Positive] = Field(default_factory=dict)
    #: Weekday of the weekly scheduling meeting (周例会, 二(二)6): 1 Monday … 7 Sunday.
    meeting_weekday: Annotated[int, Field(strict=True, ge=1, le=7)] = 1
