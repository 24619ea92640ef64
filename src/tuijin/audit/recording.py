"""Audit that records itself (DESIGN §9): every change of an audited model writes its own entry.

A model with ``audited = True`` gets, from one place:

- ``save()`` / ``delete()`` of an instance: a ``create``/``update``/``delete`` entry with the before/after
  snapshot (an update that changes nothing writes nothing) — the receivers below, connected by
  :func:`tuijin.audit.signals.connect_audit_guards`;
- ``QuerySet.update``, ``bulk_create``, ``bulk_update`` and ``delete`` through :class:`AuditedQuerySet`:
  one entry per changed row, through the one bulk writer (:mod:`tuijin.audit.writer`), in the same
  transaction.

Every one of them refuses outside an audit context. Services add only what a row cannot say: the reason
(``with audit.reason("退回：…")``) and, for a domain step, the action's name (``with audit.action("stage")``).

A model's snapshot is ``audit_snapshot()`` when it defines one (codes instead of ids, say), else its
``audit_fields`` (or every concrete field). A snapshot that reads related rows names them in
``audit_related`` (foreign keys, read with ``select_related``) and ``audit_prefetch`` (reverse and
many-to-many relations, prefetched), so bulk writes read them once per chunk, not once per row.

A change made of several writes (a row, then its relations or its derived amounts) is one entry
inside :func:`coalesced`: the first write's action, reason and before, the row as it is at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.db import models, transaction

from . import writer
from .context import current_context
from .services import snapshot

_CHUNK = 500
_collecting: ContextVar[list[writer.AuditRow] | None] = ContextVar("tuijin_audit_collecting", default=None)
#: Set while ``bulk_update`` runs: Django implements it with ``update()``, which must not record again.
_in_bulk_update: ContextVar[bool] = ContextVar("tuijin_audit_in_bulk_update", default=False)
#: Set while a queryset ``delete`` runs: the rows' snapshots, read in bulk beforehand ((label, pk) → snapshot).
_deleting: ContextVar[dict[tuple[str, Any], dict[str, Any]] | None] = ContextVar("tuijin_audit_deleting",
                                                                                 default=None)


def records_itself(model: type[models.Model]) -> bool:
    return bool(getattr(model, "audited", False))


def snapshot_of(obj: models.Model) -> dict[str, Any]:
    custom = getattr(obj, "audit_snapshot", None)
    if callable(custom):
        return custom()
    return snapshot(obj, getattr(obj, "audit_fields", None))


def _row(action: str, obj: models.Model, before: dict | None, after: dict | None) -> writer.AuditRow:
    ctx = current_context()
    return writer.AuditRow(ctx.actions.get(action, action), obj._meta.label_lower, str(obj.pk), str(obj)[:255],
                           before, after, ctx.reason)


def _changed_rows(model: type[models.Model], db: str, pks: list[Any],
                  before: dict[Any, dict[str, Any]]) -> list[writer.AuditRow]:
    """The update entries of the rows ``pks`` whose snapshot differs from ``before`` (read again now)."""
    rows = []
    for pk, obj in _fetch(model, db, pks).items():
        after = snapshot_of(obj)
        if before.get(pk) != after:
            rows.append(_row("update", obj, before.get(pk), after))
    return rows


def _emit(rows: list[writer.AuditRow]) -> None:
    buffer = _collecting.get()
    if buffer is not None:
        buffer.extend(rows)
    else:
        writer.write(rows)


@contextmanager
def collecting() -> Iterator[list[writer.AuditRow]]:
    """Gather the entries the receivers make (a cascade of deletes) and write them at once."""
    outer = _collecting.get()
    rows: list[writer.AuditRow] = []
    token = _collecting.set(rows)
    try:
        yield rows
    finally:
        _collecting.reset(token)
    if outer is not None:
        outer.extend(rows)
    else:
        writer.write(rows)


@contextmanager
def coalesced() -> Iterator[None]:
    """One entry per row for everything written inside, however many writes each row took.

    For a change made of several writes — a project and then its tags, a progress row and then its
    recomputed totals, an evaluation and then its results: each row's entry keeps its first write's
    action, reason and before, and its after is the row as read at the end (an update that ends
    where it began writes nothing; a row created and deleted inside writes nothing).
    """
    outer = _collecting.get()
    rows: list[writer.AuditRow] = []
    token = _collecting.set(rows)
    try:
        yield
    finally:
        _collecting.reset(token)
    merged = _coalesce(rows)
    if outer is not None:
        outer.extend(merged)
    else:
        writer.write(merged)


def _coalesce(rows: list[writer.AuditRow]) -> list[writer.AuditRow]:
    first: dict[tuple[str, str], writer.AuditRow] = {}
    last: dict[tuple[str, str], writer.AuditRow] = {}
    for row in rows:
        key = (row.object_type, row.object_id)
        first.setdefault(key, row)
        last[key] = row
    now: dict[tuple[str, str], models.Model] = {}
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in first:
        by_type.setdefault(object_type, []).append(object_id)
    for object_type, ids in by_type.items():
        model = apps.get_model(object_type)
        pks = [model._meta.pk.to_python(object_id) for object_id in ids]
        for pk, obj in _fetch(model, "default", pks).items():
            now[(object_type, str(pk))] = obj
    merged = []
    for key, row in first.items():
        obj = now.get(key)
        if obj is None:  # deleted inside
            if row.before is not None:
                merged.append(last[key]._replace(before=row.before, reason=row.reason))
            continue
        after = snapshot_of(obj)
        if row.before is not None and row.before == after:
            continue
        merged.append(row._replace(object_repr=str(obj)[:255], after=after))
    return merged


def _query(model: type[models.Model], db: str) -> models.QuerySet:
    """The rows as the snapshot reads them: with the model's ``audit_related`` and ``audit_prefetch``."""
    qs = model._base_manager.using(db)
    related = getattr(model, "audit_related", ())
    prefetch = getattr(model, "audit_prefetch", ())
    if related:
        qs = qs.select_related(*related)
    if prefetch:
        qs = qs.prefetch_related(*prefetch)
    return qs


def _prepare(model: type[models.Model], objs: list[models.Model]) -> None:
    """Read the related rows a snapshot needs for objects at hand, once for all of them."""
    names = (*getattr(model, "audit_related", ()), *getattr(model, "audit_prefetch", ()))
    if names and objs:
        models.prefetch_related_objects(objs, *names)


def _fetch(model: type[models.Model], db: str, pks: list[Any]) -> dict[Any, models.Model]:
    found: dict[Any, models.Model] = {}
    for start in range(0, len(pks), _CHUNK):
        for obj in _query(model, db).filter(pk__in=pks[start:start + _CHUNK]):
            found[obj.pk] = obj
    return found


# -- instance save / delete (signal receivers) -------------------------------------------------------

def before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    instance._audit_before = None
    if instance._state.adding or instance.pk is None:
        return
    old = _query(sender, kwargs.get("using") or instance._state.db or "default").filter(pk=instance.pk).first()
    instance._audit_before = snapshot_of(old) if old is not None else None


def after_save(sender, instance, created, raw=False, **kwargs) -> None:
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    after = snapshot_of(instance)
    if created or before is None:
        _emit([_row("create", instance, None, after)])
    elif before != after:
        _emit([_row("update", instance, before, after)])


def before_delete(sender, instance, **kwargs) -> None:
    known = _deleting.get()
    before = known.get((sender._meta.label_lower, instance.pk)) if known else None
    instance._audit_before = before if before is not None else snapshot_of(instance)


def after_delete(sender, instance, **kwargs) -> None:
    before = getattr(instance, "_audit_before", None)
    if before is None:
        before = snapshot_of(instance)
    _emit([_row("delete", instance, before, None)])


# -- querysets ----------------------------------------------------------------------------------------

class AuditedQuerySet(models.QuerySet):
    """Bulk writes of an audited model write one entry per changed row (or refuse without a context).

    Models that are not audited (``audited`` unset) keep Django's plain methods: a scoped model may
    inherit this queryset through ``ScopedQuerySet`` and be exempt.
    """

    def _records(self) -> bool:
        return records_itself(self.model)

    def update(self, **kwargs: Any) -> int:
        if not self._records() or _in_bulk_update.get():
            return super().update(**kwargs)
        current_context()
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            before = {pk: snapshot_of(obj) for pk, obj in _fetch(self.model, self.db, pks).items()}
            count = super().update(**kwargs)
            _emit(_changed_rows(self.model, self.db, pks, before))
        return count

    def bulk_create(self, objs: Iterable[models.Model], *args: Any, **kwargs: Any) -> list[models.Model]:
        if not self._records():
            return super().bulk_create(objs, *args, **kwargs)
        current_context()
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            # With ignore_conflicts the database does not say which rows were new: those have no pk.
            new = [obj for obj in created if obj.pk is not None]
            _prepare(self.model, new)
            _emit([_row("create", obj, None, snapshot_of(obj)) for obj in new])
        return created

    def bulk_update(self, objs: Iterable[models.Model], fields: Iterable[str], *args: Any, **kwargs: Any) -> int:
        if not self._records():
            return super().bulk_update(objs, fields, *args, **kwargs)
        current_context()
        objs = list(objs)
        pks = [obj.pk for obj in objs]
        with transaction.atomic(using=self.db):
            before = {pk: snapshot_of(obj) for pk, obj in _fetch(self.model, self.db, pks).items()}
            token = _in_bulk_update.set(True)
            try:
                count = super().bulk_update(objs, fields, *args, **kwargs)
            finally:
                _in_bulk_update.reset(token)
            _emit(_changed_rows(self.model, self.db, pks, before))
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        if not self._records():
            return super().delete()
        current_context()
        # The delete receivers make the entries (for cascaded audited rows too); written here at once.
        # The rows' own snapshots are read first, a chunk at a time (with their related rows).
        with transaction.atomic(using=self.db), collecting():
            pks = list(self.values_list("pk", flat=True))
            label = self.model._meta.label_lower
            token = _deleting.set({(label, pk): snapshot_of(obj) for pk, obj in _fetch(self.model, self.db, pks).items()})
            try:
                return super().delete()
            finally:
                _deleting.reset(token)

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class AuditedManager(models.Manager.from_queryset(AuditedQuerySet)):  # type: ignore[misc]
    """The manager of an audited model that is not scoped (scoped ones use ``ScopedQuerySet``)."""
