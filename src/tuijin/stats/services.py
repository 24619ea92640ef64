"""Writes of official statistics (DESIGN §4.6): who may import, periods, and the bulk upsert with its audit.

The statistics bureau (统计局, 二(七)19–21) supplies each month's fixed-asset investment per
reporting unit and for the city, in total (``fai``) and by category (``industrial``,
``infrastructure``, ``real_estate``): the year-to-date value and its year-on-year growth.
These official figures, not sums of project reports, drive growth rankings and the
last-place escalation (三(三)). Prior-year figures (baselines) are the same rows for earlier
periods.

Only the bureau's own users (role ``department`` in org ``tjj``) and the city administrator
import (:func:`may_import`); the system (a command without ``--as``) may too. Every write goes
through :func:`figures_save`: one transaction, one insert of the new rows and one update of the
changed, each row recording its own audit entry, and one entry for the batch; unchanged rows are neither written nor audited, so the
same file imported twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from tuijin.audit import services as audit
from tuijin.audit.context import current_context
from tuijin.orgs.models import Org, OrgKind
from tuijin.plan import statistics_calendar
from tuijin.toolkit import clock
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.periods import FIRST_YEAR as FIRST_YEAR
from tuijin.toolkit.periods import LAST_YEAR as LAST_YEAR
from tuijin.toolkit.periods import parse_period, period_code
from tuijin.toolkit.statistics_months import statistics_month_problem

from .models import GROWTH_QUANT, OfficialStat
from .targets import unit_target_clear as unit_target_clear
from .targets import unit_target_set as unit_target_set

#: The statistics bureau's org code (DESIGN §4.1): its department users import official figures.
STATISTICS_BUREAU = "tjj"
BATCH_AUDIT_TYPE = "stats.statsimport"







def future_problem(year: int, month: int, *, today: dt.date | None = None) -> str | None:
    """Why a period cannot have official figures yet (it lies after the current month), else None."""
    today = today or clock.today()
    if (year, month) > (today.year, today.month):
        return f"{period_code(year, month)}尚未到来，没有统计数据（当前为{today.year}年{today.month}月）"
    return None


def unpublished_problem(year: int, month: int) -> str | None:
    """Why a month has no official figure of its own under its year's plan (统计月份: 1–2月 published
    together, so no January), else None. Such a month's import is refused, not read as 1–2月."""
    return statistics_month_problem(year, month, statistics_calendar(year))


def period_get(code: Any) -> tuple[int, int]:
    """The period of a door's parameter (``--period``, a form, the API): 400 when malformed or future.

    Statistical periods are read leniently (``2022/6``, ``202206``, ``2022年6月`` …, see
    :func:`tuijin.toolkit.periods.parse_period`)."""
    year, month = parse_period(code, what="统计期间", lenient=True)
    problem = future_problem(year, month) or unpublished_problem(year, month)
    if problem:
        raise ValidationFailed(problem, field="period")
    return year, month


def reporting_orgs() -> list[Org]:
    """The orgs with official figures: the city first, then the reporting units in the plan's order."""
    orgs = list(Org.objects.filter(kind__in=[OrgKind.CITY, OrgKind.DISTRICT, OrgKind.ZONE]))
    return sorted(orgs, key=lambda o: (o.kind != OrgKind.CITY, o.sort_order, o.code))


# ---------------------------------------------------------------------------
# The write

@dataclass(frozen=True, slots=True)
class Figure:
    """One official figure to store; ``row`` is its Excel row (0 when it did not come from a file)."""

    org_id: int
    org_code: str
    org_name: str
    indicator: str
    indicator_name: str
    year: int
    month: int
    ytd_value_yuan: int
    yoy_growth: Decimal | None
    row: int = 0

    @property
    def key(self) -> tuple[int, str, int, int]:
        return self.org_id, self.indicator, self.year, self.month

    @property
    def period(self) -> str:
        return period_code(self.year, self.month)

    def label(self) -> str:
        return f"{self.org_name} {self.indicator_name} {self.period}"


@dataclass
class Existing:
    """A stored figure as read before a write."""

    id: int
    ytd_value_yuan: int | None
    yoy_growth: Decimal | None


@dataclass
class Diff:
    """What storing some figures would do: new ones, changed ones (with what they were), unchanged."""

    created: list[Figure] = field(default_factory=list)
    updated: list[tuple[Figure, Existing]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _same_growth(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return Decimal(a).quantize(GROWTH_QUANT) == Decimal(b).quantize(GROWTH_QUANT)


def existing_figures(keys: Iterable[tuple[int, str, int, int]], *, lock: bool = False
                     ) -> dict[tuple[int, str, int, int], Existing]:
    """The stored figures of ``keys`` (org id, indicator, year, month), read with one query."""
    keys = set(keys)
    if not keys:
        return {}
    qs = OfficialStat.objects.filter(
        org_id__in={k[0] for k in keys}, indicator__in={k[1] for k in keys},
        year__in={k[2] for k in keys}, month__in={k[3] for k in keys},
    ).order_by()
    if lock:
        qs = qs.select_for_update()
    found: dict[tuple[int, str, int, int], Existing] = {}
    for pk, org_id, indicator, year, month, ytd, growth in qs.values_list(
            "id", "org_id", "indicator", "year", "month", "ytd_value_yuan", "yoy_growth"):
        key = (org_id, indicator, year, month)
        if key in keys:
            found[key] = Existing(pk, ytd, growth)
    return found


def figures_diff(figures: Sequence[Figure], *, lock: bool = False) -> Diff:
    """Compare figures with what is stored; nothing is written."""
    current = existing_figures((f.key for f in figures), lock=lock)
    diff = Diff()
    for figure in figures:
        old = current.get(figure.key)
        if old is None:
            diff.created.append(figure)
        elif old.ytd_value_yuan == figure.ytd_value_yuan and _same_growth(old.yoy_growth, figure.yoy_growth):
            diff.unchanged += 1
        else:
            diff.updated.append((figure, old))
    return diff


@dataclass(frozen=True)
class SaveResult:
    batch: uuid.UUID
    diff: Diff


def figures_save(*, figures: Sequence[Figure], what: str, details: dict[str, Any] | None = None) -> SaveResult:
    """Store official figures: insert the new, update the changed, skip the unchanged (DESIGN §4.6, §8).

    One transaction; the new rows are written by one insert (``INSERT … ON CONFLICT DO UPDATE`` on
    both databases), the changed by one update, and carry the batch id; each records its own audit
    entry with its values before and after (``OfficialStat.audit_snapshot``), and the batch one entry (``what`` names it, ``details`` are its
    values: file, sha256, periods, counts). Needs an open audit context (its request id ties the
    entries together). Figures must be unique by (org, indicator, year, month).
    """
    current_context()  # fails before any write when there is no audit context
    batch = uuid.uuid4()
    now = clock.real_now()  # the rows' bookkeeping and the audit entries: real time
    with transaction.atomic():
        diff = figures_diff(figures, lock=True)
        orgs = Org.objects.in_bulk({f.org_id for f in (*diff.created, *(f for f, _old in diff.updated))})

        def row(f: Figure, pk: int | None = None) -> OfficialStat:
            return OfficialStat(pk=pk, org=orgs[f.org_id], indicator=f.indicator, year=f.year, month=f.month,
                                ytd_value_yuan=f.ytd_value_yuan, yoy_growth=f.yoy_growth, import_batch=batch,
                                updated_at=now)

        # Each row records its own entry (the audited queryset, through the one bulk writer).
        if diff.created:
            OfficialStat.objects.bulk_create(
                [row(f) for f in diff.created], batch_size=1000, update_conflicts=True,
                unique_fields=["org", "indicator", "year", "month"],
                update_fields=["ytd_value_yuan", "yoy_growth", "import_batch", "updated_at"],
            )
        if diff.updated:
            OfficialStat.objects.bulk_update([row(f, old.id) for f, old in diff.updated],
                                             ["ytd_value_yuan", "yoy_growth", "import_batch", "updated_at"],
                                             batch_size=1000)
        # The batch: an event of its own.
        audit.record(action="import", object_type=BATCH_AUDIT_TYPE, object_id=str(batch), object_repr=what[:255],
                     after={**(details or {}), "created": len(diff.created), "updated": len(diff.updated),
                            "unchanged": diff.unchanged})
    return SaveResult(batch=batch, diff=diff)
