"""Monthly reporting tells the apps above through signals, after the commit (DESIGN §9)."""

from __future__ import annotations

import datetime as dt

import pytest

from tuijin.audit.context import audit_context
from tuijin.reporting import services, signals
from tuijin.reporting.models import ProgressReport, SubmissionStatus
from tuijin.reporting.services import SubmissionIncomplete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(business_date):
    """Before the 2022-07 deadline (2022-08-05)."""
    business_date("2022-08-03")


@pytest.fixture
def heard():
    calls: list[tuple[str, dict]] = []
    listeners = {}
    for name in ("period_submitted", "period_returned", "period_approved"):
        def listen(sender, _name=name, **kwargs):  # noqa: ANN001, ANN202
            calls.append((_name, kwargs))

        listeners[name] = listen
        getattr(signals, name).connect(listen, dispatch_uid=f"test.{name}")
    yield calls
    for name in listeners:
        getattr(signals, name).disconnect(dispatch_uid=f"test.{name}")


@pytest.fixture
def project(make_project):
    return make_project("jinshui", stage="construction", actual_start=dt.date(2021, 3, 1), annual_plan_wan="1200")


def _as(user, write, **kwargs):  # noqa: ANN001, ANN202
    with audit_context(source="web", actor=user):
        return write(actor=user, unit_code="jinshui", period_code="2022-07", **kwargs)


def _row(user, project, version: int | None = None) -> None:  # noqa: ANN001
    with audit_context(source="web", actor=user):
        services.report_save(actor=user, project_id=project.pk, period_code="2022-07", data={"month_amount": "100"},
                             version=version)


def test_submit_return_and_approve_are_announced_after_the_commit(users, project, heard,
                                                                   django_capture_on_commit_callbacks):
    unit, city = users["jinshui"], users["fgw"]
    _row(unit, project)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        up = _as(unit, services.unit_period_submit)
    assert heard == [] and pending  # nothing before the commit
    for callback in pending:
        callback()
    assert heard == [("period_submitted", {"signal": signals.period_submitted, "unit_period": up, "actor": unit})]

    with django_capture_on_commit_callbacks(execute=True):
        returned = _as(city, services.unit_period_return, project_reasons={project.pk: "本月完成投资偏高，请核实"})
    name, args = heard[-1]
    assert name == "period_returned" and args["actor"] == city and args["project_ids"] == [project.pk]
    assert args["unit_period"].status == SubmissionStatus.RETURNED == returned.status

    _row(unit, project, version=ProgressReport.objects.get(project=project).version)
    with django_capture_on_commit_callbacks(execute=True):
        _as(unit, services.unit_period_submit)
        approved = _as(city, services.unit_period_approve)
    assert [name for name, _args in heard] == ["period_submitted", "period_returned", "period_submitted",
                                               "period_approved"]
    assert heard[-1][1]["unit_period"] == approved and approved.status == SubmissionStatus.APPROVED


def test_a_refused_submission_announces_nothing(users, project, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(SubmissionIncomplete):
        _as(users["jinshui"], services.unit_period_submit)
    assert heard == []
