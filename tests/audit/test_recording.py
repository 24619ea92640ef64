"""Audit that records itself: every write to an audited model leaves one entry per changed row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import models, transaction
from django.test.utils import isolate_apps

from tuijin.audit import services as audit
from tuijin.audit.chain import verify
from tuijin.audit.checks import unaudited_scoped_models
from tuijin.audit.context import AuditContextMissing, audit_context
from tuijin.audit.models import AuditEntry
from tuijin.bonds.models import BondBatch

pytestmark = pytest.mark.django_db(transaction=False)


def _entries(**filters):
    return AuditEntry.objects.filter(object_type="bonds.bondbatch", **filters).order_by("id")


@pytest.fixture
def fgw(users):
    return users["fgw"]


@pytest.fixture
def ctx(fgw):
    with audit_context(source="web", actor=fgw, ip="10.0.0.7", reason="测试原因") as context:
        yield context


def _batches(n: int) -> list[BondBatch]:
    with audit_context(source="system", reason="fixture"):
        return BondBatch.objects.bulk_create([BondBatch(year=2022, number=i, name=f"第{i}批") for i in range(1, n + 1)])


def _assert_head(entry: AuditEntry, ctx, fgw, reason: str = "测试原因") -> None:
    assert (entry.actor_id, entry.actor_name, entry.source, entry.ip) == (fgw.pk, "fgw", "web", "10.0.0.7")
    assert entry.request_id == ctx.request_id
    assert entry.reason == reason


def test_save_of_a_new_row_writes_a_create_entry(ctx, fgw):
    batch = BondBatch.objects.create(year=2022, number=1, name="第一批")
    [entry] = _entries()
    assert (entry.action, entry.object_id, entry.object_repr) == ("create", str(batch.pk), "第一批")
    assert entry.before is None and entry.after["name"] == "第一批" and entry.after["year"] == 2022
    _assert_head(entry, ctx, fgw)


def test_save_of_a_change_writes_before_and_after_and_a_no_op_writes_nothing(fgw):
    [batch] = _batches(1)
    with audit_context(source="web", actor=fgw, ip="10.0.0.7") as ctx, audit.reason("改名"):
        batch.name = "改过的名字"
        batch.save()
        batch.save()  # nothing changed: no entry
    [entry] = _entries(action="update")
    assert (entry.before["name"], entry.after["name"]) == ("第1批", "改过的名字")
    _assert_head(entry, ctx, fgw, reason="改名")


def test_a_domain_action_names_the_update(ctx):
    [batch] = _batches(1)
    with audit.action("advance"):
        batch.name = "下一步"
        batch.save()
    assert list(_entries(request_id=ctx.request_id).values_list("action", flat=True)) == ["advance"]


def test_delete_of_an_instance_writes_a_delete_entry(ctx, fgw):
    [batch] = _batches(1)
    pk = batch.pk
    batch.delete()
    [entry] = _entries(action="delete")
    assert entry.object_id == str(pk) and entry.before["name"] == "第1批" and entry.after is None
    _assert_head(entry, ctx, fgw)


def test_update_writes_one_entry_per_changed_row(ctx, fgw):
    made = _batches(4)
    BondBatch.objects.filter(pk=made[0].pk).update(name="第1批")  # a no-op row
    assert not _entries(request_id=ctx.request_id).exists()
    count = BondBatch.objects.filter(number__in=[1, 2, 3]).update(name="同一名字")
    assert count == 3
    entries = list(_entries(request_id=ctx.request_id))
    assert [e.action for e in entries] == ["update"] * 3
    assert {e.object_id for e in entries} == {str(b.pk) for b in made[:3]}
    assert {(e.before["name"], e.after["name"]) for e in entries} == {(f"第{i}批", "同一名字") for i in (1, 2, 3)}
    for entry in entries:
        _assert_head(entry, ctx, fgw)


def test_bulk_create_writes_one_entry_per_row(ctx, fgw):
    made = BondBatch.objects.bulk_create([BondBatch(year=2023, number=i, name=f"批{i}") for i in range(5)])
    entries = list(_entries(action="create"))
    assert {e.object_id for e in entries} == {str(b.pk) for b in made}
    assert all(e.before is None and e.after["year"] == 2023 for e in entries)
    for entry in entries:
        _assert_head(entry, ctx, fgw)


def test_bulk_update_writes_one_entry_per_changed_row(ctx, fgw):
    made = _batches(3)
    made[0].name = "新名字"
    made[1].issued_on = dt.date(2022, 5, 1)
    BondBatch.objects.bulk_update(made, ["name", "issued_on"])  # the third is unchanged
    entries = list(_entries(request_id=ctx.request_id))
    assert [e.object_id for e in entries] == [str(made[0].pk), str(made[1].pk)]
    assert entries[0].after["name"] == "新名字" and entries[1].after["issued_on"] == "2022-05-01"
    assert entries[1].before["issued_on"] is None
    for entry in entries:
        _assert_head(entry, ctx, fgw)


def test_queryset_delete_writes_one_entry_per_row(ctx, fgw):
    made = _batches(3)
    BondBatch.objects.filter(number__gte=2).delete()
    entries = list(_entries(action="delete"))
    assert {e.object_id for e in entries} == {str(b.pk) for b in made[1:]}
    for entry in entries:
        _assert_head(entry, ctx, fgw)


@pytest.mark.parametrize("write", [
    lambda: BondBatch.objects.create(year=2024, number=1, name="x"),
    lambda: BondBatch.objects.bulk_create([BondBatch(year=2024, number=1, name="x")]),
    lambda: BondBatch.objects.update(name="x"),
    lambda: BondBatch.objects.bulk_update(list(BondBatch.objects.all()), ["name"]),
    lambda: BondBatch.objects.all().delete(),
    lambda: BondBatch.objects.first().delete(),
], ids=["save", "bulk_create", "update", "bulk_update", "queryset_delete", "delete"])
def test_every_write_is_refused_without_a_context(users, write):
    _batches(2)
    before = AuditEntry.objects.count()
    with pytest.raises(AuditContextMissing), transaction.atomic():
        write()
    assert AuditEntry.objects.count() == before
    assert BondBatch.objects.filter(name="x").count() == 0 and BondBatch.objects.count() == 2


def test_the_chain_verifies_after_bulk_writes(ctx):
    made = BondBatch.objects.bulk_create([BondBatch(year=2025, number=i, name=f"批{i}") for i in range(50)])
    BondBatch.objects.filter(year=2025).update(name="改")
    for b in made:
        b.issued_on = dt.date(2025, 1, 2)
    BondBatch.objects.bulk_update(made, ["issued_on"])
    BondBatch.objects.filter(number__lt=10).delete()
    assert _entries().count() == 50 + 50 + 50 + 10
    call_command("audit_verify")
    assert verify().ok


def test_scoped_models_are_audited_or_exempt_with_a_reason():
    from django.apps import apps

    assert unaudited_scoped_models(apps.get_models()) == []
    from tuijin.projects.models import StageMove
    from tuijin.reits.models import ReitsMove

    assert StageMove.audited and ReitsMove.audited


@isolate_apps("tuijin.audit")
def test_the_check_fails_for_a_scoped_model_that_is_not_audited():
    class Scoped(models.Model):
        scope_field = "unit"

        class Meta:
            app_label = "audit"

        def __str__(self) -> str:
            return "x"

    class Fine(models.Model):
        scope_field = "unit"
        audited = True

        class Meta:
            app_label = "audit"

        def __str__(self) -> str:
            return "x"

    [error] = unaudited_scoped_models([Scoped, Fine], exempt={})
    assert error.id == "tuijin.audit.E001" and "audit.scoped" in error.msg
    assert unaudited_scoped_models([Scoped], exempt={"audit.scoped": "derived rows"}) == []
    assert len(unaudited_scoped_models([Scoped], exempt={"audit.scoped": " "})) == 1
