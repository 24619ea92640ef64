"""The incentives' quarterly bulletin section (the bulletin contract)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tuijin.audit.context import audit_context
from tuijin.incentives import services
from tuijin.incentives.bulletin_sections import bulletin_sections
from tuijin.incentives.models import Application, Proposal

pytestmark = pytest.mark.django_db
USCC = "91410105MA9G1RT2A5"


def at(day: dt.date):
    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())


def test_monthly_bulletins_and_empty_quarters_have_no_section(db):
    assert bulletin_sections(year=2022, month=6, quarterly=False) == []
    assert bulletin_sections(year=2022, month=6, quarterly=True) == []


def test_the_quarterly_section_counts_by_rule_and_unit_as_of_the_quarter_end(act, users, pdf, eligible_manufacturing,
                                                                             system_context):
    jinshui = eligible_manufacturing("jinshui")
    eligible_manufacturing("zhongyuan")
    with audit_context(source="cli"):
        services.incentives_scan(actor=None, year=2022)
    Proposal.objects.update(found_at=at(dt.date(2022, 5, 1)))
    Proposal.objects.filter(unit__code="jinshui").update(status="confirmed", decided_at=at(dt.date(2022, 6, 1)))
    app = act(users["jinshui"], services.application_submit, project_id=jinshui.pk, rule="interest_subsidy",
              period=2022, inputs={"loan": "20000"}, owner_uscc=USCC)
    act(users["jinshui"], services.attachment_add, application_id=app.pk, upload=pdf())
    act(users["gxj"], services.application_review, application_id=app.pk)
    act(users["czj"], services.application_approve, application_id=app.pk)
    act(users["czj"], services.application_pay, application_id=app.pk)
    Application.objects.filter(pk=app.pk).update(approved_at=at(dt.date(2022, 6, 10)), paid_at=at(dt.date(2022, 7, 5)))

    [q2] = bulletin_sections(year=2022, month=6, quarterly=True)
    assert q2["title"] == "投资奖补兑现情况" and isinstance(q2["order"], int)
    by_rule, by_unit = q2["tables"]
    assert by_rule["headers"] == ["奖补类型", "线索（条）", "已确认（条）", "批准金额（万元）", "拨付金额（万元）"]
    assert by_rule["rows"] == [["制造业重大项目贴息", 2, 1, 261.0, 0.0], ["合计", 2, 1, 261.0, 0.0]]
    assert by_unit["rows"] == [["中原区", 1, 0, 0.0, 0.0], ["金水区", 1, 1, 261.0, 0.0]]  # in the plan's unit order
    assert "发现奖补线索2条" in q2["paragraphs"][0] and "已拨付0.00万元" in q2["paragraphs"][0]
    [q3] = bulletin_sections(year=2022, month=9, quarterly=True)
    assert q3["tables"][0]["rows"][-1] == ["合计", 2, 1, 261.0, 261.0]
    assert bulletin_sections(year=2022, month=3, quarterly=True) == []
