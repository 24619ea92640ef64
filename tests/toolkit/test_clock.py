"""The one clock: the business date through its doors (the command, the demo), the banner, audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.toolkit import clock
from tuijin.toolkit.models import BusinessDate

pytestmark = pytest.mark.django_db


def run_clock(*args: str) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("clock", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_clock_runs_on_the_real_date_until_one_is_set():
    assert clock.business_date() is None
    assert clock.today() == clock.real_today()
    assert run_clock() == {**run_clock(), "business_date": None, "today": clock.real_today().isoformat()}


def test_set_moves_today_and_now_and_real_returns():
    shown = run_clock("--set", "2022-07-15")
    assert shown["business_date"] == shown["today"] == "2022-07-15"
    assert clock.today() == dt.date(2022, 7, 15)
    moment, real = clock.now(), clock.real_now()
    assert moment.date() == dt.date(2022, 7, 15) and moment.tzinfo is not None
    assert abs((moment.replace(year=real.year, month=real.month, day=real.day) - real).total_seconds()) < 60
    assert clock.real_today() != dt.date(2022, 7, 15)
    run_clock("--real")
    assert clock.business_date() is None and clock.today() == clock.real_today()


def test_each_change_is_audited_with_before_and_after():
    run_clock("--set", "2022-07-15")
    run_clock("--set", "2022-08-01")
    run_clock("--real")
    entries = list(AuditEntry.objects.filter(object_type="toolkit.businessdate").order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert entries[1].before["day"] == "2022-07-15" and entries[1].after["day"] == "2022-08-01"
    assert entries[2].after["day"] is None
    assert {e.source for e in entries} == {"cli"} and entries[0].reason == "设置业务日期"


def test_a_malformed_date_is_refused_and_nothing_changes():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("clock", "--set", "2022-13-01")
    assert not BusinessDate.objects.exists() and clock.business_date() is None


@override_settings(TUIJIN_LOCAL=False)
def test_in_production_only_the_system_administrator_sets_it(users):
    with pytest.raises(CommandError, match="系统管理员"):
        call_command("clock", "--set", "2022-07-15")
    with pytest.raises(CommandError, match="系统管理员"):
        call_command("clock", "--set", "2022-07-15", "--as", "fgw")
    assert clock.business_date() is None
    run_clock("--set", "2022-07-15", "--as", "sysadmin")
    entry = AuditEntry.objects.get(object_type="toolkit.businessdate")
    assert clock.business_date() == dt.date(2022, 7, 15) and entry.actor_name == "sysadmin"
    assert run_clock()["set_by"] == "sysadmin"


def test_another_process_sees_a_change_when_its_memo_expires(business_date):
    business_date("2022-07-15")
    assert clock.today() == dt.date(2022, 7, 15)
    with audit_context(source="system", reason="another node"):  # another node sets it: this one's memo stays
        row = BusinessDate.objects.get()
        row.day = dt.date(2023, 1, 3)
        row.save()
    assert clock.today() == dt.date(2022, 7, 15)  # memoised
    with override_settings(TUIJIN_CLOCK_REFRESH_SECONDS=0):
        clock.forget()
        assert clock.today() == dt.date(2023, 1, 3)


def test_every_page_shows_the_business_date_banner(client_for, business_date, users):
    client = client_for("jinshui")
    assert 'data-testid="business-date"' not in client.get("/").content.decode()
    with clock_as_demo(dt.date(2022, 7, 15)):
        page = client.get("/").content.decode()
    assert "演示数据 · 业务日期 2022年7月15日" in page
    with audit_context(source="system", reason="test"):
        users["sysadmin"].full_name = "王系统"
        users["sysadmin"].save()
        clock.set_business_date(dt.date(2022, 9, 1), by="sysadmin")
    page = client.get("/").content.decode()
    assert "业务日期 2022年9月1日（实际日期" in page and "演示数据" not in page
    assert "设置人：王系统" in page and "设置人：sysadmin" not in page  # the person, not the account


def clock_as_demo(day: dt.date):
    from contextlib import contextmanager

    @contextmanager
    def demo():
        with audit_context(source="system", reason="test"):
            clock.set_business_date(day, demo=True)
        yield

    return demo()
