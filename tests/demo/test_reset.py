"""`tuijin demo --reset` reloads; small demos; the logins table; bad options."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from tuijin.audit import services as audit
from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.demo.generate import DEMO_PASSWORD
from tuijin.demo.logins import demo_logins, format_logins
from tuijin.orgs.models import Org, User
from tuijin.projects.models import ApprovalItem, Project, ProjectTag

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def small(module_db):
    return module_db("--projects", "300")


def tag_counts() -> dict[str, int]:
    return dict(ProjectTag.objects.values_list("tag").annotate(n=Count("id")))


def test_a_small_demo_scales_down(small):
    assert Project.objects.count() == 300
    counts = tag_counts()
    assert counts["shortfall_982"] == round(874 * 300 / 5000)
    assert counts["reconstruction"] == round(2216 * 300 / 5000)
    assert "项目 300 个" in small


def test_reset_reloads_everything(small, module_db):
    with audit_context(source="web", actor=User.objects.get(username="fgw")):
        fgw = User.objects.get(username="fgw")
        audit.record(action="login", obj=fgw)  # the audit log now refers to fgw: it cannot be deleted
    with audit_context(source="system", reason="test"):
        stranger = User.objects.create(username="alice", org=Org.objects.get(code="jinshui"), roles=["unit"])
        fgw.roles, fgw.full_name = ["leader"], "改过的名字"
        fgw.save()
    old_ids = set(Project.objects.values_list("pk", flat=True))
    audit_before = AuditEntry.objects.count()

    output = module_db("--reset", "--projects", "400")

    assert "已删除原有业务数据" in output
    assert Project.objects.count() == 400
    assert not set(Project.objects.values_list("pk", flat=True)) & old_ids
    assert not User.objects.filter(pk=stranger.pk).exists()
    fgw = User.objects.get(username="fgw")
    assert fgw.roles == ["city_admin"] and fgw.full_name != "改过的名字"
    assert Client().login(username="fgw", password=DEMO_PASSWORD)
    assert Client().login(username="jinshui", password=DEMO_PASSWORD)
    assert set(User.objects.values_list("username", flat=True)) == {x.username for x in demo_logins()}
    # The audit log only grows: the old entries stay, the reset and the reload are recorded.
    assert AuditEntry.objects.count() > audit_before
    deleted = AuditEntry.objects.get(action="delete", object_type="demo")
    assert deleted.after["projects"] == 300
    assert AuditEntry.objects.filter(action="import", object_type="demo").count() == 2
    assert not ApprovalItem.objects.exclude(project__in=Project.objects.all()).exists()


def test_the_logins_table_needs_no_data():
    out = io.StringIO()
    call_command("demo", "--logins", stdout=out)
    text = out.getvalue()
    assert text == format_logins() + "\n"
    assert DEMO_PASSWORD in text
    for login in demo_logins():
        assert login.username in text
    assert "市发展改革委" in text and "报送单位" in text


def test_too_few_projects_is_refused():
    with pytest.raises(CommandError, match="--projects"):
        call_command("demo", "--projects", "10", stdout=io.StringIO())
