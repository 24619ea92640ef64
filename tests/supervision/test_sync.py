"""Tasks from sources: discovered in every app, each (kind, key) exactly once (三(三))."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tuijin.assessment.models import Escalation
from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.supervision import services, sources
from tuijin.supervision.models import SupervisionTask
from tuijin.toolkit.errors import PermissionRefused

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def sync(today=TODAY, actor=None):
    with audit_context(source="job", actor=actor):
        return services.tasks_sync(today=today, actor=actor)


@pytest.fixture
def escalations(orgs, system_context):
    made = [Escalation.objects.create(org=orgs["dengfeng"], year=2022, month=4, streak=1, level="notice",
                                      plan_hash="x"),
            Escalation.objects.create(org=orgs["dengfeng"], year=2022, month=5, streak=2, level="deputy_talk",
                                      plan_hash="x"),
            Escalation.objects.create(org=orgs["xinmi"], year=2022, month=6, streak=1, level="notice",
                                      plan_hash="x")]
    return made


def test_sources_are_discovered_in_the_apps_and_the_setting(fake_sources):
    registry = sources.discover()
    assert {"escalation", "overdue_problem", "bond_talk", "stalled_deal", "missing_from_statistics",
            "overdue_approval"} <= set(registry)


def test_each_source_item_becomes_a_task_exactly_once(fake_sources, escalations, users):
    first = sync(actor=users["dcs"])
    expected = {"bond_talk": 1, "escalation": 2, "missing_from_statistics": 1, "overdue_approval": 1,
                "overdue_problem": 0, "stalled_deal": 2}
    # Sources of installed apps the fakes do not replace (e.g. incentives) have nothing to offer here.
    assert {kind: n for kind, n in first.created.items() if kind in expected or n} == expected
    # as of 1 June the June escalation is not yet due
    assert not SupervisionTask.objects.filter(source_key__startswith="xinmi").exists()
    second = sync(actor=users["dcs"])
    assert sum(second.created.values()) == 0 and second.existing["stalled_deal"] == 2
    fake_sources.ITEMS["stalled_deal"].append(("deal-40", "swj", "新的停滞项目"))
    third = sync(today=dt.date(2022, 7, 1))
    assert third.created["stalled_deal"] == 1 and third.created["escalation"] == 1
    counts = dict(SupervisionTask.objects.values_list("kind").annotate(n=__import__("django.db.models",
                                                                                     fromlist=["Count"]).Count("id")))
    assert counts == {"bond_talk": 1, "escalation": 3, "missing_from_statistics": 1, "overdue_approval": 1,
                      "stalled_deal": 3}
    task = SupervisionTask.objects.get(kind="stalled_deal", source_key="deal-17")
    assert task.org.code == "swj" and task.deadline == TODAY + dt.timedelta(days=10)
    assert AuditEntry.objects.filter(object_type="supervision.supervisiontask", action="create").count() == 9
    assert fake_sources.CALLS[0][1] == TODAY


def test_an_escalation_task_carries_the_measure_and_deadline_of_its_level(escalations):
    sync()
    task = SupervisionTask.objects.get(kind="escalation", source_key="dengfeng:2022-05:fai")
    assert "分管市领导约谈" in task.title and task.deadline == TODAY + dt.timedelta(days=20)
    assert "书面整改方案" in task.measure


def test_the_database_refuses_a_second_task_for_the_same_source_item(orgs, system_context):
    values = {"kind": "bond_talk", "source_key": "k1", "title": "t", "org": orgs["jinshui"], "deadline": TODAY,
              "original_deadline": TODAY, "created_on": TODAY}
    SupervisionTask.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionTask.objects.create(**values)
    # manual tasks (no key) are not limited
    SupervisionTask.objects.create(**{**values, "kind": "manual", "source_key": ""})
    SupervisionTask.objects.create(**{**values, "kind": "manual", "source_key": ""})


def test_a_sync_that_loses_a_race_skips_the_item_instead_of_failing(fake_sources, orgs, monkeypatch):
    """Another sync commits the same item after our read of the existing keys: the unique constraint
    refuses our insert, and the item counts as existing."""
    with audit_context(source="job"):
        SupervisionTask.objects.create(kind="stalled_deal", source_key="deal-17", title="另一次同步生成",
                                       org=orgs["swj"], deadline=TODAY, original_deadline=TODAY, created_on=TODAY)
    monkeypatch.setattr(services, "_existing_keys", lambda kind, keys: set())  # the read came before it
    result = sync()
    assert result.created["stalled_deal"] == 1 and result.existing["stalled_deal"] == 1
    assert SupervisionTask.objects.filter(kind="stalled_deal", source_key="deal-17").count() == 1
    assert SupervisionTask.objects.filter(kind="stalled_deal").count() == 2


def test_a_broken_source_or_item_is_reported_and_the_others_still_run(fake_sources, orgs):
    fake_sources.ITEMS["bond_talk"] = [("", "jinshui", "没有 key")]
    result = sync()
    assert any("key" in e for e in result.errors)
    assert result.created["stalled_deal"] == 2


def test_only_the_supervision_office_syncs(users):
    with audit_context(source="web", actor=users["jinshui"]), pytest.raises(PermissionRefused):
        services.tasks_sync(today=TODAY, actor=users["jinshui"])


def test_overdue_problems_at_the_supervision_rung_become_tasks_for_their_department(raise_problem):
    from tuijin.problems.services import problems_escalate

    problem = raise_problem("approvals")  # deadline 16 June
    with audit_context(source="job"):
        problems_escalate(today=dt.date(2022, 6, 23))
    result = sync(today=dt.date(2022, 6, 23))
    assert result.created["overdue_problem"] == 1
    task = SupervisionTask.objects.get(kind="overdue_problem")
    assert task.source_key == str(problem.pk) and task.org.code == "zwb"
