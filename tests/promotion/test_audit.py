"""Deals, their moves and signing events record their own audit entries: one per change, carrying the
service's action and reason; a bulk update writes one per changed row."""

from __future__ import annotations

import datetime as dt

import pytest

from audit_support import mark, since
from tuijin.audit.context import audit_context
from tuijin.promotion.models import Deal

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")




def test_registering_writes_one_create_for_the_deal_and_one_for_its_first_move(client_for, users):
    start = mark()
    created = post(client_for("jinshui"), "/api/v1/promotion/deals/", {
        "unit": "jinshui", "name": "数据中心", "investor": "某云计算公司", "amount_yi": "12",
        "negotiating_since": "2022-03-01"})
    assert created.status_code == 201, created.content
    deal, move = since(start)
    assert (deal.object_type, deal.action, deal.object_id) == ("promotion.deal", "create", str(created.json()["id"]))
    assert deal.before is None and deal.after["unit"] == "jinshui" and deal.after["amount_yuan"] == 1_200_000_000
    assert (move.object_type, move.action, move.after["to_stage"], move.after["note"]) == (
        "promotion.dealmove", "create", "negotiating", "登记")
    assert deal.actor == move.actor == users["jinshui"]


def test_a_move_writes_one_stage_entry_with_the_note_as_reason_and_one_for_the_move(make_deal, client_for):
    deal = make_deal(dates=[dt.date(2022, 3, 1)])
    start = mark()
    moved = post(client_for("jinshui"), f"/api/v1/promotion/deals/{deal.pk}/move/",
                 {"to": "signed", "moved_on": "2022-04-08", "note": "集中签约仪式上签约"})
    assert moved.status_code == 200, moved.content
    stage, move = since(start)
    assert (stage.object_type, stage.object_id, stage.action) == ("promotion.deal", str(deal.pk), "stage")
    assert (stage.before["stage"], stage.after["stage"]) == ("negotiating", "signed")
    assert (stage.before["signed_on"], stage.after["signed_on"]) == (None, "2022-04-08")
    assert (stage.before["version"], stage.after["version"]) == (1, 2)
    assert stage.before["unit"] == stage.after["unit"] == "jinshui"  # the unit by its code, as before
    assert (move.object_type, move.action, move.after["to_stage"]) == ("promotion.dealmove", "create", "signed")
    assert stage.reason == move.reason == "集中签约仪式上签约"


def test_an_update_and_a_signing_event_write_one_entry_each(make_deal, client_for):
    deal = make_deal(dates=[dt.date(2022, 3, 1)])
    start = mark()
    event = post(client_for("fgw"), "/api/v1/promotion/events/", {"name": "集中签约", "held_on": "2022-04-08"})
    assert event.status_code == 201, event.content
    changed = client_for("jinshui").patch(f"/api/v1/promotion/deals/{deal.pk}/", {"version": 1, "leader": "金水区区长"},
                                          content_type="application/json")
    assert changed.status_code == 200, changed.content
    created, updated = since(start)
    assert (created.object_type, created.action, created.after["name"]) == ("promotion.signingevent", "create", "集中签约")
    assert (updated.object_type, updated.action) == ("promotion.deal", "update")
    assert (updated.before["leader"], updated.after["leader"]) == ("", "金水区区长")


def test_a_bulk_update_writes_one_entry_per_changed_row(make_deal, users):
    a, b = make_deal(name="甲项目"), make_deal(name="乙项目")
    c = make_deal(name="丙项目", leader="市委常委")
    start = mark()
    with audit_context(source="cli", actor=users["fgw"], reason="领导分包调整"):
        assert Deal.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(leader="市委常委") == 3
    entries = since(start)
    assert sorted(e.object_id for e in entries) == sorted([str(a.pk), str(b.pk)])  # 丙 did not change
    for e in entries:
        assert (e.object_type, e.action, e.reason, e.actor) == ("promotion.deal", "update", "领导分包调整", users["fgw"])
        assert (e.before["leader"], e.after["leader"], e.after["unit"]) == ("", "市委常委", "jinshui")
