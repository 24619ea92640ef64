"""The monthly workflow through the services: rows, derived totals, submit, approve (lock), return, corrections.

Each state change is checked in the audit log. The business date is set with ``clock``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.reporting import selectors, services
from tuijin.reporting.models import (
    CorrectionRequest,
    ProgressReport,
    SubmissionStatus,
    UnitMonthSummary,
    UnitPeriod,
)
from tuijin.reporting.services import PeriodLocked, SubmissionIncomplete, WrongState
from tuijin.toolkit.errors import NotFound, PermissionRefused, StaleEdit, ValidationFailed
from tuijin.toolkit.money import wan_to_yuan

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=BEIJING)


@pytest.fixture
def clock(business_date) -> Callable[[dt.datetime], None]:
    """Set the platform's business date (through the clock's door); it starts on 2022-08-03, before the
    2022-07 deadline (2022-08-05)."""
    def set_to(moment: dt.datetime) -> None:
        business_date(moment.date())

    set_to(at(2022, 8, 3))
    return set_to


@contextmanager
def acting(user: Any) -> Iterator[None]:
    """What a request does: an audit context with the user as actor."""
    with audit_context(source="web", actor=user):
        yield


@pytest.fixture
def building(make_project) -> Callable[..., Any]:
    """A reportable project (under construction) with a 2022 annual plan of 1,200万元."""
    def make(unit: str = "jinshui", **fields: Any) -> Any:
        values: dict[str, Any] = {"stage": "construction", "actual_start": dt.date(2021, 3, 1),
                                  "annual_plan_wan": "1200"}
        values.update(fields)
        return make_project(unit, **values)

    return make


def save(user: Any, project: Any, period: str, version: int | None = None, **data: Any) -> ProgressReport:
    data.setdefault("month_amount", "100")
    with acting(user):
        return services.report_save(actor=user, project_id=project.pk, period_code=period, data=data,
                                    version=version)


def submit(user: Any, unit: str = "jinshui", period: str = "2022-07") -> UnitPeriod:
    with acting(user):
        return services.unit_period_submit(actor=user, unit_code=unit, period_code=period)


def approve(user: Any, unit: str = "jinshui", period: str = "2022-07") -> UnitPeriod:
    with acting(user):
        return services.unit_period_approve(actor=user, unit_code=unit, period_code=period)


def give_back(user: Any, unit: str = "jinshui", period: str = "2022-07", reason: str = "",
              projects: dict | None = None) -> UnitPeriod:
    with acting(user):
        return services.unit_period_return(actor=user, unit_code=unit, period_code=period, reason=reason,
                                           project_reasons=projects)


def row_of(project: Any, period: str) -> ProgressReport:
    return ProgressReport.objects.get(project=project, period__code=period)


# -- rows and derived totals ---------------------------------------------------

def test_a_row_is_stored_in_yuan_with_its_totals_derived(users, building, clock):
    p = building()
    row = save(users["jinshui"], p, "2022-06", month_amount="123.4567", physical_progress="主体施工",
               percent_complete="30", started=True)
    assert row.month_amount_yuan == 1_234_567 and row.status == SubmissionStatus.DRAFT
    assert (row.ytd_amount_yuan, row.cumulative_amount_yuan) == (1_234_567, 1_234_567)
    second = save(users["jinshui"], p, "2022-07", month_amount="100")
    assert second.ytd_amount_yuan == wan_to_yuan("223.4567")
    assert second.cumulative_amount_yuan == wan_to_yuan("223.4567")
    entry = AuditEntry.objects.get(object_type="reporting.progressreport", object_id=str(row.pk), action="create")
    assert entry.actor == users["jinshui"] and entry.after["month_amount_yuan"] == 1_234_567


def test_the_year_to_date_restarts_in_january_and_the_cumulative_runs_on(users, building, clock):
    p = building()
    save(users["jinshui"], p, "2021-12", month_amount="50")
    jan = save(users["jinshui"], p, "2022-01", month_amount="20")
    assert (jan.ytd_amount_yuan, jan.cumulative_amount_yuan) == (wan_to_yuan("20"), wan_to_yuan("70"))


def test_changing_an_earlier_month_recomputes_the_later_months(users, building, clock):
    p = building()
    may = save(users["jinshui"], p, "2022-05", month_amount="100")
    save(users["jinshui"], p, "2022-06", month_amount="10")
    save(users["jinshui"], p, "2022-05", version=may.version, month_amount="300")
    june = row_of(p, "2022-06")
    assert (june.ytd_amount_yuan, june.cumulative_amount_yuan) == (wan_to_yuan("310"), wan_to_yuan("310"))
    cascade = AuditEntry.objects.get(object_type="reporting.progressreport", object_id=str(june.pk),
                                     action="update")
    totals = ("ytd_amount_yuan", "cumulative_amount_yuan")
    assert {k: cascade.after[k] for k in totals} == {"ytd_amount_yuan": wan_to_yuan("310"),
                                                     "cumulative_amount_yuan": wan_to_yuan("310")}
    assert {k: cascade.before[k] for k in totals} == {"ytd_amount_yuan": wan_to_yuan("110"),
                                                      "cumulative_amount_yuan": wan_to_yuan("110")}
    assert cascade.reason == "2022-05填报变更，重算本年累计和开工累计"


def test_a_history_that_starts_midway_keeps_its_earlier_total(users, building, seed_history, clock):
    p = building()
    seed_history(p, "2022-01", month="10", ytd="10", cumulative="5010", status="draft")  # 5,000 before 2022
    save(users["jinshui"], p, "2022-02", month_amount="20")
    assert row_of(p, "2022-02").cumulative_amount_yuan == wan_to_yuan("5030")
    first = row_of(p, "2022-01")
    save(users["jinshui"], p, "2022-01", version=first.version, month_amount="30")
    assert row_of(p, "2022-01").cumulative_amount_yuan == wan_to_yuan("5030")
    assert row_of(p, "2022-02").cumulative_amount_yuan == wan_to_yuan("5050")


@pytest.fixture
def seed_history(orgs) -> Callable[..., ProgressReport]:
    from tuijin.reporting.periods import period_open

    def make(project: Any, period: str, *, month: str, ytd: str, cumulative: str,
             status: str = "approved") -> ProgressReport:
        with audit_context(source="system", reason="test fixture"):
            return ProgressReport.objects.create(
                unit=project.unit, period=period_open(period), project=project, status=status,
                month_amount_yuan=wan_to_yuan(month), ytd_amount_yuan=wan_to_yuan(ytd),
                cumulative_amount_yuan=wan_to_yuan(cumulative))

    return make


def test_every_problem_of_a_row_is_listed_and_nothing_is_written(users, building, clock):
    p = building()
    with pytest.raises(ValidationFailed) as refused:
        save(users["jinshui"], p, "2022-07", month_amount="-5", percent_complete="120", started="maybe",
             colour="red")
    assert set(refused.value.errors) == {"month_amount", "percent_complete", "started", "colour"}
    assert "负数" in refused.value.errors["month_amount"][0]
    assert not ProgressReport.objects.exists()


def test_a_new_row_needs_its_month_amount(users, building, clock):
    with pytest.raises(ValidationFailed) as refused:
        save(users["jinshui"], building(), "2022-07", month_amount="")
    assert "必填" in refused.value.errors["month_amount"][0]


def test_a_stale_version_is_refused(users, building, clock):
    p = building()
    row = save(users["jinshui"], p, "2022-07")
    save(users["jinshui"], p, "2022-07", version=row.version, month_amount="200")
    with pytest.raises(StaleEdit):
        save(users["jinshui"], p, "2022-07", version=row.version, month_amount="300")
    with pytest.raises(StaleEdit):  # no version: a second "create" must not overwrite blindly
        save(users["jinshui"], p, "2022-07", month_amount="300")
    assert row_of(p, "2022-07").month_amount_yuan == wan_to_yuan("200")


def test_a_project_that_is_not_reportable_is_refused(users, make_project, clock):
    reserve = make_project("jinshui")  # reserve library: not reported
    with pytest.raises(ValidationFailed, match="应报项目范围"):
        save(users["jinshui"], reserve, "2022-07")


def test_a_period_that_has_not_opened_takes_no_rows(users, building, clock):
    with pytest.raises(WrongState, match="尚未开始"):
        save(users["jinshui"], building(), "2022-09")


# -- scope ---------------------------------------------------------------------

def test_a_unit_cannot_touch_another_units_project_or_period(users, building, clock):
    theirs = building("zhongyuan")
    with pytest.raises(NotFound):
        save(users["jinshui"], theirs, "2022-07")
    with pytest.raises(NotFound):
        submit(users["jinshui"], unit="zhongyuan")
    with pytest.raises(NotFound):
        approve(users["jinshui"], unit="zhongyuan")


def test_read_only_roles_cannot_write(users, building, clock):
    p = building()
    with pytest.raises(PermissionRefused):
        save(users["leader"], p, "2022-07")
    save(users["jinshui"], p, "2022-07")
    submit(users["jinshui"])
    for name in ("leader", "gxj", "dcs"):
        with pytest.raises(PermissionRefused):
            approve(users[name])


# -- submit --------------------------------------------------------------------

def test_a_period_cannot_be_submitted_while_a_project_has_no_row(users, building, clock):
    done, missing = building(name="已填项目"), building(name="漏报的项目")
    save(users["jinshui"], done, "2022-07")
    with pytest.raises(SubmissionIncomplete) as refused:
        submit(users["jinshui"])
    assert "漏报的项目" in refused.value.message and "已填项目" not in refused.value.message
    assert refused.value.status_code == 409
    assert [m["id"] for m in refused.value.extra["missing"]] == [missing.pk]
    assert UnitPeriod.objects.get(unit__code="jinshui").status == SubmissionStatus.DRAFT


def test_submitting_locks_every_row_and_is_audited(users, building, clock):
    a, b = building(), building()
    save(users["jinshui"], a, "2022-07")
    save(users["jinshui"], b, "2022-07")
    up = submit(users["jinshui"])
    assert up.status == SubmissionStatus.SUBMITTED and up.submitted_by == users["jinshui"] and not up.late
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {SubmissionStatus.SUBMITTED}
    entry = AuditEntry.objects.get(object_type="reporting.unitperiod", object_id=str(up.pk), action="update")
    assert (entry.before["status"], entry.after["status"]) == ("draft", "submitted")
    assert entry.actor == users["jinshui"]
    rows = AuditEntry.objects.filter(object_type="reporting.progressreport", request_id=entry.request_id)
    assert sorted(e.after["status"] for e in rows) == ["submitted", "submitted"]


def test_a_submitted_period_takes_no_more_edits(users, building, clock):
    p = building()
    row = save(users["jinshui"], p, "2022-07")
    submit(users["jinshui"])
    with pytest.raises(PeriodLocked, match="退回"):
        save(users["jinshui"], p, "2022-07", version=row.version + 1, month_amount="5")
    with pytest.raises(WrongState):
        submit(users["jinshui"])


def test_a_submission_after_the_deadline_is_marked_late(users, building, clock):
    save(users["jinshui"], building(), "2022-07")
    clock(at(2022, 8, 8))  # the deadline of 2022-07 is the 5th working day of August: 2022-08-05
    assert submit(users["jinshui"]).late is True
    assert "逾期" in AuditEntry.objects.get(object_type="reporting.unitperiod", action="update").reason


def test_a_submission_on_the_deadline_is_on_time_and_stamped_at_the_business_date(users, building, clock):
    save(users["jinshui"], building(), "2022-07")
    clock(at(2022, 8, 5))
    submitted = submit(users["jinshui"])
    assert submitted.late is False
    assert timezone.localtime(submitted.submitted_at).date() == dt.date(2022, 8, 5)


def test_the_city_cannot_submit_for_a_unit(users, building, clock):
    save(users["jinshui"], building(), "2022-07")
    with pytest.raises(PermissionRefused):
        submit(users["fgw"])


# -- approve -------------------------------------------------------------------

def test_approval_locks_the_period_and_refreshes_the_summary(users, building, clock):
    a, b = building(), building()
    save(users["jinshui"], a, "2022-07", month_amount="100", started=True)
    save(users["jinshui"], b, "2022-07", month_amount="50")
    submit(users["jinshui"])
    up = approve(users["fgw"])
    assert up.status == SubmissionStatus.APPROVED and up.reviewed_by == users["fgw"]
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {SubmissionStatus.APPROVED}
    summary = UnitMonthSummary.objects.get(unit__code="jinshui", period__code="2022-07")
    assert (summary.month_amount_yuan, summary.projects_reported, summary.projects_started) == \
        (wan_to_yuan("150"), 2, 1)
    with pytest.raises(PeriodLocked, match="更正申请"):
        save(users["jinshui"], a, "2022-07", version=row_of(a, "2022-07").version, month_amount="1")
    entry = AuditEntry.objects.get(object_type="reporting.unitperiod", object_id=str(up.pk), after__status="approved")
    assert entry.actor == users["fgw"] and entry.before["status"] == "submitted"


def test_a_unit_cannot_approve_its_own_period(users, building, clock):
    save(users["jinshui"], building(), "2022-07")
    submit(users["jinshui"])
    with pytest.raises(PermissionRefused):
        approve(users["jinshui"])
    assert UnitPeriod.objects.get(unit__code="jinshui").status == SubmissionStatus.SUBMITTED


def test_only_a_submitted_period_can_be_approved_or_returned(users, building, clock):
    save(users["jinshui"], building(), "2022-07")
    with pytest.raises(WrongState):
        approve(users["fgw"])
    with pytest.raises(WrongState):
        give_back(users["fgw"], reason="不对")


# -- return --------------------------------------------------------------------

def test_a_whole_return_gives_every_row_back_with_the_reason(users, building, clock):
    a, b = building(), building()
    save(users["jinshui"], a, "2022-07")
    save(users["jinshui"], b, "2022-07")
    submit(users["jinshui"])
    up = give_back(users["fgw"], reason="形象进度填写过于简单")
    assert up.status == SubmissionStatus.RETURNED and up.return_reason == "形象进度填写过于简单"
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {SubmissionStatus.RETURNED}
    row = save(users["jinshui"], a, "2022-07", version=row_of(a, "2022-07").version, physical_progress="主体封顶")
    assert row.status == SubmissionStatus.RETURNED
    again = submit(users["jinshui"])
    assert again.status == SubmissionStatus.SUBMITTED and again.return_reason == ""
    assert AuditEntry.objects.filter(object_type="reporting.unitperiod", after__status="returned").count() == 1


def test_a_per_project_return_opens_only_the_named_rows(users, building, clock):
    wrong, right = building(name="有问题的项目"), building(name="没问题的项目")
    save(users["jinshui"], wrong, "2022-07")
    save(users["jinshui"], right, "2022-07")
    submit(users["jinshui"])
    up = give_back(users["fgw"], projects={str(wrong.pk): "本月投资与形象进度不符"})
    assert up.status == SubmissionStatus.RETURNED and "1个项目" in up.return_reason
    returned = row_of(wrong, "2022-07")
    assert (returned.status, returned.return_reason) == (SubmissionStatus.RETURNED, "本月投资与形象进度不符")
    assert row_of(right, "2022-07").status == SubmissionStatus.SUBMITTED
    fixed = save(users["jinshui"], wrong, "2022-07", version=returned.version, month_amount="80")
    assert fixed.month_amount_yuan == wan_to_yuan("80")
    with pytest.raises(PeriodLocked, match="未被退回"):
        save(users["jinshui"], right, "2022-07", version=row_of(right, "2022-07").version, month_amount="1")
    submit(users["jinshui"])
    assert row_of(wrong, "2022-07").return_reason == ""
    approve(users["fgw"])


def test_a_return_needs_a_reason_and_known_projects(users, building, clock):
    p = building()
    save(users["jinshui"], p, "2022-07")
    submit(users["jinshui"])
    with pytest.raises(ValidationFailed, match="退回"):
        give_back(users["fgw"], reason="  ")
    with pytest.raises(ValidationFailed):
        give_back(users["fgw"], projects={str(p.pk): ""})
    with pytest.raises(ValidationFailed, match="不在本期"):
        give_back(users["fgw"], projects={"987654": "无此项目"})
    assert UnitPeriod.objects.get(unit__code="jinshui").status == SubmissionStatus.SUBMITTED


# -- corrections ---------------------------------------------------------------

@pytest.fixture
def approved_june_and_july(users, building, clock) -> dict[str, Any]:
    """One project with 2022-06 (100万) and 2022-07 (50万) approved."""
    p = building()
    clock(at(2022, 7, 4))
    save(users["jinshui"], p, "2022-06", month_amount="100", physical_progress="基础施工")
    submit(users["jinshui"], period="2022-06")
    approve(users["fgw"], period="2022-06")
    clock(at(2022, 8, 3))
    save(users["jinshui"], p, "2022-07", month_amount="50")
    submit(users["jinshui"])
    approve(users["fgw"])
    return {"project": p, "june": row_of(p, "2022-06"), "july": row_of(p, "2022-07")}


def ask(user: Any, report: ProgressReport, reason: str = "统计口径调整", **changes: Any) -> CorrectionRequest:
    with acting(user):
        return services.correction_request(actor=user, report_id=report.pk, changes=changes, reason=reason)


def decide(user: Any, correction: CorrectionRequest, approve_it: bool, note: str = "") -> CorrectionRequest:
    with acting(user):
        return services.correction_decide(actor=user, correction_id=correction.pk, approve=approve_it, note=note)


def test_an_approved_correction_applies_and_recomputes_later_months_and_summaries(
        users, approved_june_and_july):
    june = approved_june_and_july["june"]
    request = ask(users["jinshui"], june, month_amount="160", physical_progress="主体施工")
    assert request.status == "pending" and request.changes == {"month_amount": "160.0000",
                                                               "physical_progress": "主体施工"}
    assert row_of(approved_june_and_july["project"], "2022-06").month_amount_yuan == wan_to_yuan("100")
    decided = decide(users["fgw"], request, True, note="同意")
    assert decided.status == "approved" and decided.decided_by == users["fgw"]
    june = row_of(approved_june_and_july["project"], "2022-06")
    july = row_of(approved_june_and_july["project"], "2022-07")
    assert (june.month_amount_yuan, june.ytd_amount_yuan, june.physical_progress) == \
        (wan_to_yuan("160"), wan_to_yuan("160"), "主体施工")
    assert june.status == SubmissionStatus.APPROVED
    assert (july.ytd_amount_yuan, july.cumulative_amount_yuan) == (wan_to_yuan("210"), wan_to_yuan("210"))
    assert UnitMonthSummary.objects.get(unit__code="jinshui", period__code="2022-07").ytd_amount_yuan == \
        wan_to_yuan("210")
    assert UnitMonthSummary.objects.get(unit__code="jinshui", period__code="2022-06").month_amount_yuan == \
        wan_to_yuan("160")
    applied = AuditEntry.objects.get(object_type="reporting.progressreport", object_id=str(june.pk),
                                     reason__startswith=f"更正申请#{request.pk}")
    assert applied.before["month_amount_yuan"] == wan_to_yuan("100") and applied.actor == users["fgw"]
    assert AuditEntry.objects.filter(object_type="reporting.correctionrequest", object_id=str(request.pk)).count() == 2


def test_a_rejected_correction_leaves_the_row_as_it_was(users, approved_june_and_july):
    june = approved_june_and_july["june"]
    request = ask(users["jinshui"], june, month_amount="999")
    with pytest.raises(ValidationFailed, match="理由"):
        decide(users["fgw"], request, False)
    decided = decide(users["fgw"], request, False, note="依据不足")
    assert decided.status == "rejected" and decided.decision_note == "依据不足"
    assert row_of(approved_june_and_july["project"], "2022-06").month_amount_yuan == wan_to_yuan("100")
    with pytest.raises(WrongState):
        decide(users["fgw"], request, True)


def test_corrections_are_for_approved_rows_and_one_at_a_time(users, approved_june_and_july, building):
    june = approved_june_and_july["june"]
    with pytest.raises(ValidationFailed, match="相同"):
        ask(users["jinshui"], june, month_amount="100")
    with pytest.raises(ValidationFailed, match="原因"):
        ask(users["jinshui"], june, reason="", month_amount="1")
    ask(users["jinshui"], june, month_amount="101")
    with pytest.raises(WrongState, match="待审核"):
        ask(users["jinshui"], june, month_amount="102")
    draft = save(users["jinshui"], approved_june_and_july["project"], "2022-08")
    with pytest.raises(WrongState, match="直接修改"):
        ask(users["jinshui"], draft, month_amount="7")


def test_a_unit_cannot_decide_corrections_nor_ask_for_another_unit(users, approved_june_and_july):
    request = ask(users["jinshui"], approved_june_and_july["june"], month_amount="120")
    with pytest.raises(PermissionRefused):
        decide(users["jinshui"], request, True)
    with pytest.raises(NotFound):
        decide(users["zhongyuan"], request, True)
    with pytest.raises(NotFound):
        ask(users["zhongyuan"], approved_june_and_july["july"], month_amount="1")
    with pytest.raises(PermissionRefused):
        ask(users["leader"], approved_june_and_july["july"], month_amount="1")


# -- reads: plan-vs-actual -----------------------------------------------------

@pytest.mark.parametrize(("ytd_wan", "expected"), [
    ("599.9", "lagging"),    # June: time progress 50% of 1,200 = 600
    ("600", "normal"),
    ("719.9", "normal"),     # ahead from time progress + 10 points (the plan's margin): 60% = 720
    ("720", "ahead"),
])
def test_each_project_is_ahead_normal_or_lagging_against_time_progress(users, building, clock, ytd_wan, expected):
    p = building()
    clock(at(2022, 7, 4))
    save(users["jinshui"], p, "2022-06", month_amount=ytd_wan)
    lines = selectors.unit_period_grid(user=users["jinshui"], unit=p.unit, period=services.period_get("2022-06"))
    assert [(line.project.pk, line.status) for line in lines] == [(p.pk, expected)]
    assert lines[0].completion_rate == (Decimal(ytd_wan) * 100 / 1200).quantize(Decimal("0.01"))


def test_a_project_without_an_annual_plan_has_no_status(users, building, clock):
    p = building(annual_plan_wan=None)
    save(users["jinshui"], p, "2022-07")
    line = selectors.unit_period_grid(user=users["jinshui"], unit=p.unit, period=services.period_get("2022-07"))[0]
    assert line.status == "no_plan" and line.completion_rate is None


def test_the_dashboard_counts_expected_and_filled_rows_per_unit(users, building, clock):
    a = building()
    building()
    building("zhongyuan")
    save(users["jinshui"], a, "2022-07")
    lines = {line.unit.code: line for line in selectors.period_dashboard(user=users["fgw"],
                                                                        period=services.period_get("2022-07"))}
    assert len(lines) == 16
    assert (lines["jinshui"].expected, lines["jinshui"].filled) == (2, 1)
    assert (lines["zhongyuan"].expected, lines["zhongyuan"].filled) == (1, 0)
    mine = selectors.period_dashboard(user=users["jinshui"], period=services.period_get("2022-07"))
    assert [line.unit.code for line in mine] == ["jinshui"]


# -- audit that records itself (issue 14) ----------------------------------------

def _report_entries(**filters: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="reporting.progressreport", **filters).order_by("id"))


def test_a_changed_month_writes_one_entry_for_its_row_and_one_per_recomputed_later_month(users, building, clock):
    p = building()
    may = save(users["jinshui"], p, "2022-05", month_amount="100")
    june = save(users["jinshui"], p, "2022-06", month_amount="10")
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    save(users["jinshui"], p, "2022-05", version=may.version, month_amount="300")
    mine = _report_entries(object_id=str(may.pk), id__gt=mark)
    later = _report_entries(object_id=str(june.pk), id__gt=mark)
    # One entry for the edited row: its amount and its own recomputed totals together, no reason of the cascade.
    assert [(e.action, e.reason) for e in mine] == [("update", "")]
    assert (mine[0].before["month_amount_yuan"], mine[0].after["month_amount_yuan"]) == (wan_to_yuan("100"),
                                                                                      wan_to_yuan("300"))
    assert (mine[0].before["ytd_amount_yuan"], mine[0].after["ytd_amount_yuan"]) == (wan_to_yuan("100"),
                                                                                  wan_to_yuan("300"))
    assert mine[0].after["version"] == mine[0].before["version"] + 1
    assert [(e.action, e.reason) for e in later] == [("update", "2022-05填报变更，重算本年累计和开工累计")]
    assert later[0].actor == users["jinshui"] and later[0].request_id == mine[0].request_id
    # A new row: one create entry, with its totals as stored.
    july = save(users["jinshui"], p, "2022-07", month_amount="5")
    [created] = _report_entries(object_id=str(july.pk))
    assert created.action == "create" and created.before is None
    assert created.after["cumulative_amount_yuan"] == july.cumulative_amount_yuan == wan_to_yuan("315")


def test_a_return_writes_one_entry_for_the_period_and_one_per_row_moved(users, building, clock):
    projects = [building(), building(), building()]
    for p in projects:
        save(users["jinshui"], p, "2022-07")
    up = submit(users["jinshui"])
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    give_back(users["fgw"], projects={projects[0].pk: "数据有误", projects[1].pk: "请补充说明"})
    note = "2022-07退回：2个项目被退回，请按各项目的退回原因修改后重新报送"
    [period_entry] = AuditEntry.objects.filter(object_type="reporting.unitperiod", id__gt=mark)
    assert (period_entry.action, period_entry.object_id, period_entry.reason) == ("update", str(up.pk), note)
    assert (period_entry.before["status"], period_entry.after["status"]) == ("submitted", "returned")
    moved = _report_entries(id__gt=mark)
    assert sorted(e.object_id for e in moved) == sorted(str(row_of(p, "2022-07").pk) for p in projects[:2])
    assert {(e.action, e.reason, e.before["status"], e.after["status"]) for e in moved} == {
        ("update", note, "submitted", "returned")}
    assert {e.after["return_reason"] for e in moved} == {"数据有误", "请补充说明"}
