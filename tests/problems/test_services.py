"""The problem ledger through its services: routing, states, who may act, audit, escalation."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.problems import services
from tuijin.problems.models import Problem
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def act(user, problem, action, note="", today=TODAY):
    with audit_context(source="web", actor=user):
        return services.problem_act(actor=user, problem_id=problem.pk, action=action, note=note, today=today)


@pytest.mark.parametrize(("category", "department", "deadline"), [
    ("land", "zrj", dt.date(2022, 6, 30)),          # 20 working days
    ("funds", "czj", dt.date(2022, 6, 23)),         # 15
    ("approvals", "zwb", dt.date(2022, 6, 16)),     # 10
    ("demolition", "cjb", dt.date(2022, 7, 14)),    # 30
    ("municipal", "cjj", dt.date(2022, 6, 23)),
    ("environment", "sthjj", dt.date(2022, 6, 16)),
    ("utilities", "gxj", dt.date(2022, 6, 16)),
    ("other", "zdxm", dt.date(2022, 6, 23)),
])
def test_a_problem_is_routed_and_given_its_deadline_by_category(raise_problem, category, department, deadline):
    problem = raise_problem(category)
    assert problem.department.code == department
    assert problem.deadline == deadline
    assert problem.status == "raised" and problem.raiser_org.code == "jinshui"
    entry = AuditEntry.objects.get(object_type="problems.problem", object_id=str(problem.pk), action="create")
    assert entry.actor.username == "jinshui" and entry.after["department"] == problem.department_id


def test_an_unknown_category_is_refused_with_the_list(raise_problem):
    with pytest.raises(ValidationFailed, match="问题类别“roads”无效") as exc:
        raise_problem("roads")
    assert exc.value.field == "category"
    assert not Problem.objects.exists()


def test_a_unit_cannot_raise_a_problem_on_another_units_project(users, make_project):
    other = make_project("zhongyuan")
    with audit_context(source="web", actor=users["jinshui"]), pytest.raises(NotFound):
        services.problem_raise(actor=users["jinshui"], project_id=other.pk, category="land", title="x", today=TODAY)


def test_the_full_life_of_a_problem_is_audited_step_by_step(raise_problem, dept_user, users):
    problem = raise_problem("land")
    zrj = dept_user("zrj")
    act(zrj, problem, "accept")
    act(zrj, problem, "start")
    act(zrj, problem, "resolve", "已协调调整用地指标")
    act(users["jinshui"], problem, "close", today=TODAY + dt.timedelta(days=3))
    problem.refresh_from_db()
    assert problem.status == "closed" and problem.resolved_on == TODAY and problem.closed_on == dt.date(2022, 6, 4)
    updates = list(AuditEntry.objects.filter(object_type="problems.problem", object_id=str(problem.pk),
                                             action="update").order_by("id"))
    assert [(e.before["status"], e.after["status"], e.actor.username) for e in updates] == [
        ("raised", "accepted", "zrj_staff"), ("accepted", "in_progress", "zrj_staff"),
        ("in_progress", "resolved", "zrj_staff"), ("resolved", "closed", "jinshui")]
    assert list(problem.events.values_list("action", flat=True)) == ["raise", "accept", "start", "resolve", "close"]


def test_only_the_raisers_organisation_confirms_closure(raise_problem, dept_user, users):
    problem = raise_problem("utilities")
    gxj = users["gxj"]
    act(gxj, problem, "accept")
    act(gxj, problem, "resolve", "已协调供电公司接入")
    for name in ("gxj", "fgw", "dcs"):
        with pytest.raises(PermissionRefused, match="只有提出问题的单位"):
            act(users[name], problem, "close")
    # another unit does not even see it
    with pytest.raises(NotFound):
        act(users["zhongyuan"], problem, "close")
    act(users["jinshui"], problem, "close")
    assert Problem.objects.get(pk=problem.pk).status == "closed"


def test_the_raiser_may_reopen_a_resolution_it_does_not_accept(raise_problem, users):
    problem = raise_problem("utilities")
    act(users["gxj"], problem, "accept")
    act(users["gxj"], problem, "resolve", "已答复")
    with pytest.raises(ValidationFailed, match="请填写说明"):
        act(users["jinshui"], problem, "reopen")
    act(users["jinshui"], problem, "reopen", "供电仍未接入")
    assert Problem.objects.get(pk=problem.pk).status == "in_progress"


def test_only_the_responsible_department_handles_it_and_a_return_needs_a_reason(raise_problem, dept_user, users):
    problem = raise_problem("land")
    with pytest.raises(PermissionRefused, match="只有责任部门"):
        act(users["jinshui"], problem, "accept")
    with pytest.raises(NotFound):  # another department does not see it
        act(users["gxj"], problem, "accept")
    zrj = dept_user("zrj")
    with pytest.raises(ValidationFailed):
        act(zrj, problem, "return")
    act(zrj, problem, "return", "请补充用地红线图")
    with pytest.raises(Conflict, match="已退回"):
        act(zrj, problem, "accept")
    act(users["jinshui"], problem, "resubmit")
    assert Problem.objects.get(pk=problem.pk).status == "raised"


def test_comments_and_attachments_are_audited_and_checked_by_content(raise_problem, users, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    problem = raise_problem("land")
    with audit_context(source="web", actor=users["jinshui"]):
        services.problem_comment(actor=users["jinshui"], problem_id=problem.pk, text="请尽快协调")
        attachment = services.problem_attach(actor=users["jinshui"], problem_id=problem.pk,
                                             upload=io.BytesIO(b"%PDF-1.4 test"), name="../../红线图.pdf")
        with pytest.raises(ValidationFailed, match="类型不受支持"):
            services.problem_attach(actor=users["jinshui"], problem_id=problem.pk,
                                    upload=io.BytesIO(b"MZ\x90\x00 not a pdf"), name="evil.pdf")
    assert attachment.original_name == "红线图.pdf" and attachment.content_type == "application/pdf"
    assert attachment.stored_name.endswith(".pdf") and "红线图" not in attachment.stored_name
    stored = tmp_path / "private" / "attachments" / attachment.stored_name
    assert stored.read_bytes() == b"%PDF-1.4 test"
    assert len(list((tmp_path / "private" / "attachments").iterdir())) == 1  # the refused file left nothing
    assert AuditEntry.objects.filter(object_type="problems.problemattachment", action="create").count() == 1
    assert AuditEntry.objects.filter(object_type="problems.problemevent", after__action="comment").count() == 1


def test_an_attachment_over_the_size_limit_is_refused(raise_problem, users, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.TUIJIN_MAX_ATTACHMENT_BYTES = 1024
    problem = raise_problem("land")
    with audit_context(source="web", actor=users["jinshui"]), pytest.raises(ValidationFailed, match="大小上限"):
        services.problem_attach(actor=users["jinshui"], problem_id=problem.pk,
                                upload=io.BytesIO(b"%PDF-" + b"x" * 2000), name="big.pdf")


def test_overdue_problems_climb_the_ladder_at_its_boundaries(raise_problem, users):
    problem = raise_problem("approvals")  # deadline 16 June 2022
    second = raise_problem("approvals")
    with audit_context(source="job"):
        assert services.problems_escalate(today=dt.date(2022, 6, 16)) == []
        assert [p.pk for p in services.problems_escalate(today=dt.date(2022, 6, 17))] == [problem.pk, second.pk]
        assert services.problems_escalate(today=dt.date(2022, 6, 22)) == []  # same level: nothing new
        changed = services.problems_escalate(today=dt.date(2022, 6, 23))
    assert {p.escalation_level for p in changed} == {"supervision"}
    problem.refresh_from_db()
    assert problem.escalation_level == "supervision" and problem.escalated_on == dt.date(2022, 6, 23)
    levels = [e.after["escalation_level"] for e in AuditEntry.objects.filter(
        object_type="problems.problem", object_id=str(problem.pk), action="update").order_by("id")]
    assert levels == ["department_head", "supervision"]


def test_a_resolved_problem_does_not_escalate(raise_problem, users):
    problem = raise_problem("utilities")
    act(users["gxj"], problem, "accept")
    act(users["gxj"], problem, "resolve", "已解决")
    with audit_context(source="job"):
        assert services.problems_escalate(today=dt.date(2022, 8, 1)) == []


def test_the_monthly_problem_bulletin_section(raise_problem, users):
    from tuijin.problems.bulletin_sections import bulletin_sections

    assert bulletin_sections(year=2022, month=6, quarterly=False) == []
    late = raise_problem("approvals", title="逾期")          # zwb, deadline 16 June
    done = raise_problem("utilities", title="已解决")         # gxj
    act(users["gxj"], done, "accept")
    act(users["gxj"], done, "resolve", "已解决", today=dt.date(2022, 6, 8))
    [section] = bulletin_sections(year=2022, month=6, quarterly=False)
    assert section["paragraphs"][0].startswith("2022年6月，各地新提交项目问题2个，解决1个")
    assert "超过办理时限1个" in section["paragraphs"][0] and "市政务办" in section["paragraphs"][1]
    rows = {row[0]: row for row in section["tables"][0]["rows"]}
    assert rows["市工信局"] == ["市工信局", 1, 1, 0, "100.0", "7.0"]
    assert rows["市政务办"][:4] == ["市政务办", 1, 0, 1]
    assert late.pk


def test_the_city_administrator_reroutes_a_wrongly_routed_problem(raise_problem, users, client_for):
    problem = raise_problem("utilities")  # gxj
    with pytest.raises(PermissionRefused):
        with audit_context(source="web", actor=users["gxj"]):
            services.problem_reroute(actor=users["gxj"], problem_id=problem.pk, department_code="cjj", reason="x",
                                     today=TODAY)
    act(users["gxj"], problem, "accept")
    response = client_for("fgw").post(f"/problems/{problem.pk}/reroute/", {"department": "cjj",
                                                                            "reason": "属市政配套问题"})
    assert response.status_code == 302
    problem.refresh_from_db()
    from tuijin.problems.rules import problem_deadline
    from tuijin.toolkit import clock

    # the page runs on the clock's today: the category's 10 working days start again from it
    assert (problem.department.code, problem.status) == ("cjj", "raised")
    assert problem.deadline == problem_deadline(clock.today(), 10)
    entry = AuditEntry.objects.filter(object_type="problems.problem", object_id=str(problem.pk)).first()
    assert entry.before["department"] == users["gxj"].org_id and "改派至市城建局" in entry.reason
    assert client_for("gxj").get(f"/problems/{problem.pk}/").status_code == 404  # no longer routed to gxj
