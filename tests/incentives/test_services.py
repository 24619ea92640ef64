"""Applications from claim to payment: states, audit, double payment, caps across applications, scope."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuijin.audit.models import AuditEntry
from tuijin.incentives import services
from tuijin.incentives.models import Application
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db

USCC = "91410105MA9G1RT2A5"


def submit(act, users, project, *, loan="20000", period=2022, rule="interest_subsidy", user="jinshui", **inputs):
    inputs = inputs or ({"loan": loan} if rule == "interest_subsidy" else {})
    return act(users[user], services.application_submit, project_id=project.pk, rule=rule, period=period,
               inputs=inputs, owner_uscc=USCC)


def reviewed(act, users, pdf, application, reviewer="gxj"):
    act(users["jinshui"], services.attachment_add, application_id=application.pk, upload=pdf())
    return act(users[reviewer], services.application_review, application_id=application.pk)


def test_an_application_walks_submitted_reviewed_approved_paid_and_every_change_is_audited(
        act, users, pdf, eligible_manufacturing):
    project = eligible_manufacturing()
    app = submit(act, users, project, loan="20000")
    assert app.status == "submitted" and app.requested_amount_wan == 261 and app.cap_wan == 1000
    reviewed(act, users, pdf, app)
    act(users["czj"], services.application_approve, application_id=app.pk)
    paid = act(users["czj"], services.application_pay, application_id=app.pk, reference="ZF2022-001")
    assert paid.status == "paid" and paid.paid_amount_wan == 261
    entries = AuditEntry.objects.filter(object_type="incentives.application", object_id=str(app.pk)).order_by("id")
    transitions = [((e.before or {}).get("status"), e.after["status"], e.actor_name) for e in entries]
    assert transitions == [(None, "submitted", "jinshui"), ("submitted", "reviewed", "gxj"),
                           ("reviewed", "approved", "czj"), ("approved", "paid", "czj")]
    assert AuditEntry.objects.filter(object_type="incentives.attachment").count() == 1


def test_a_rejection_needs_a_reason_and_is_audited(act, users, eligible_manufacturing):
    app = submit(act, users, eligible_manufacturing())
    with pytest.raises(ValidationFailed):
        act(users["gxj"], services.application_reject, application_id=app.pk, reason=" ")
    act(users["gxj"], services.application_reject, application_id=app.pk, reason="贷款合同与项目不符")
    entry = AuditEntry.objects.filter(object_type="incentives.application", object_id=str(app.pk)).latest("id")
    assert entry.before["status"] == "submitted" and entry.after["status"] == "rejected"
    assert entry.after["reject_reason"] == "贷款合同与项目不符"


def test_double_payment_is_refused(act, users, pdf, eligible_manufacturing):
    project = eligible_manufacturing()
    app = submit(act, users, project)
    reviewed(act, users, pdf, app)
    act(users["czj"], services.application_approve, application_id=app.pk)
    act(users["czj"], services.application_pay, application_id=app.pk)
    with pytest.raises(Conflict, match="重复拨付"):
        act(users["czj"], services.application_pay, application_id=app.pk)
    with pytest.raises(Conflict, match="不能重复申请"):
        submit(act, users, project)  # same project, rule and period
    assert Application.objects.filter(project=project).count() == 1


def test_the_database_refuses_a_second_live_application_for_the_same_period(act, users, eligible_manufacturing):
    from django.db import IntegrityError, transaction

    from tuijin.audit.context import audit_context

    app = submit(act, users, eligible_manufacturing())
    with audit_context(source="system"), pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(unit=app.unit, project=app.project, rule=app.rule, period=app.period,
                                   owner_name="x", requested_amount_yuan=1, cap_yuan=1, clause="二(六)16",
                                   plan_hash="x", submitted_by=users["jinshui"])


def test_a_rejected_application_can_be_replaced(act, users, eligible_manufacturing):
    project = eligible_manufacturing()
    app = submit(act, users, project)
    act(users["gxj"], services.application_reject, application_id=app.pk, reason="材料不全")
    again = submit(act, users, project)
    assert again.pk != app.pk and again.status == "submitted"


def test_approved_amounts_respect_the_cap_across_several_applications(act, users, pdf, eligible_manufacturing):
    """Tier 1 (cap 1000万): 2022 approves 783万; 2023 asks 783万 but only 217万 remain; 2024 gets nothing."""
    project = eligible_manufacturing()
    first = submit(act, users, project, loan="60000", period=2022)  # 60000 × 4.35% × 30% = 783
    assert first.requested_amount_wan == 783
    reviewed(act, users, pdf, first)
    act(users["czj"], services.application_approve, application_id=first.pk)
    second = submit(act, users, project, loan="60000", period=2023)
    reviewed(act, users, pdf, second)
    with pytest.raises(ValidationFailed, match="最多还可批准217万元"):
        act(users["czj"], services.application_approve, application_id=second.pk, amount_wan="300")
    approved = act(users["czj"], services.application_approve, application_id=second.pk)
    assert approved.approved_amount_wan == 217
    third = submit(act, users, project, loan="10000", period=2024)
    reviewed(act, users, pdf, third)
    with pytest.raises(Conflict, match="已达上限1000万元"):
        act(users["czj"], services.application_approve, application_id=third.pk)
    total = sum(a.approved_amount_yuan or 0 for a in Application.objects.filter(project=project))
    assert total == 1000 * 10_000


def test_case_by_case_needs_a_reason(act, users, pdf, make_project):
    import datetime as dt

    from tuijin.toolkit.money import wan_to_yuan

    project = make_project("jinshui", total_investment_yuan=wan_to_yuan("500000"), stage="completed",
                           actual_start=dt.date(2020, 3, 1), actual_end=dt.date(2022, 5, 1),
                           leading_industry="electronic_information", owner_name="郑州某电子")
    app = submit(act, users, project, rule="equipment_award", equipment="30000")
    assert app.requested_amount_wan == 1000
    reviewed(act, users, pdf, app)
    with pytest.raises(ValidationFailed, match="一事一议须填写理由"):
        act(users["czj"], services.application_approve, application_id=app.pk, amount_wan="3000", case_by_case=True)
    done = act(users["czj"], services.application_approve, application_id=app.pk, amount_wan="3000",
               case_by_case=True, case_by_case_reason="市政府常务会议研究确定")
    assert done.approved_amount_wan == 3000 and done.case_by_case


def test_ineligible_applications_are_refused_with_the_reasons(act, users, make_project):
    import datetime as dt

    from tuijin.toolkit.money import wan_to_yuan

    expansion = make_project("jinshui", nature="expansion", total_investment_yuan=wan_to_yuan("30000"),
                             actual_start=dt.date(2021, 3, 1), actual_end=dt.date(2022, 4, 1), stage="completed",
                             owner_name="某公司")
    with pytest.raises(ValidationFailed, match="项目性质为扩建"):
        submit(act, users, expansion, rule="equipment_award", equipment="1000")
    not_producing = make_project("jinshui", total_investment_yuan=wan_to_yuan("30000"),
                                 actual_start=dt.date(2022, 3, 1), stage="construction", owner_name="某公司")
    with pytest.raises(ValidationFailed, match="尚未完成投产"):
        submit(act, users, not_producing, rule="equipment_award", equipment="1000")


def test_who_may_do_what(act, users, pdf, eligible_manufacturing):
    project = eligible_manufacturing()
    with pytest.raises(NotFound):
        submit(act, users, project, user="zhongyuan")  # another unit's project: not found
    with pytest.raises(PermissionRefused):
        submit(act, users, project, user="gxj")  # departments do not claim
    app = submit(act, users, project)
    with pytest.raises(NotFound):
        act(users["zhongyuan"], services.application_reject, application_id=app.pk, reason="x")
    act(users["jinshui"], services.attachment_add, application_id=app.pk, upload=pdf())
    with pytest.raises(PermissionRefused):
        act(users["czj"], services.application_review, application_id=app.pk)  # 工信局 reviews 贴息
    act(users["gxj"], services.application_review, application_id=app.pk)
    with pytest.raises(PermissionRefused):
        act(users["gxj"], services.application_approve, application_id=app.pk)  # 财政局 approves


def test_review_needs_evidence(act, users, eligible_manufacturing):
    app = submit(act, users, eligible_manufacturing())
    with pytest.raises(ValidationFailed, match="证明材料"):
        act(users["gxj"], services.application_review, application_id=app.pk)


def test_attachments_are_checked_by_content_and_size_and_stored_under_random_names(
        act, users, pdf, eligible_manufacturing, settings, attachment_dir):
    app = submit(act, users, eligible_manufacturing())
    with pytest.raises(ValidationFailed, match="类型不受支持"):
        act(users["jinshui"], services.attachment_add, application_id=app.pk, upload=pdf("合同.pdf", b"MZ\x90\x00evil"))
    settings.INCENTIVE_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationFailed, match="大小上限"):
        act(users["jinshui"], services.attachment_add, application_id=app.pk, upload=pdf())
    settings.INCENTIVE_ATTACHMENT_MAX_BYTES = 1024 * 1024
    att = act(users["jinshui"], services.attachment_add, application_id=app.pk, upload=pdf("../../etc/合同.pdf"))
    assert att.original_name == "合同.pdf" and att.content_type == "application/pdf"
    stored = list(attachment_dir.iterdir())
    assert [p.name for p in stored] == [att.stored_name] and len(att.stored_name) == 32
    assert str(settings.STATIC_ROOT) not in str(attachment_dir)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(loans=st.lists(st.integers(min_value=1, max_value=120_000), min_size=1, max_size=4))
def test_approved_amounts_never_add_up_beyond_the_cap(act, users, pdf, eligible_manufacturing, loans):
    """Whatever the applications ask, the project's approved total stays within its cap, and reaches
    min(total asked, cap) when every application is approved as far as the cap allows."""
    project = eligible_manufacturing()
    asked = 0
    for year, loan in enumerate(loans, start=2022):
        app = submit(act, users, project, loan=str(loan), period=year)
        asked += app.requested_amount_yuan
        reviewed(act, users, pdf, app)
        try:
            act(users["czj"], services.application_approve, application_id=app.pk)
        except Conflict:
            pass
    approved = sum(a.approved_amount_yuan or 0 for a in Application.objects.filter(project=project))
    cap = 1000 * 10_000
    assert approved <= cap
    assert approved == min(asked, cap)
