"""Periods open with their deadlines, counted in Chinese working days across national holidays (二(七)20)."""

from __future__ import annotations

import datetime as dt

import pytest

from tuijin.reporting import services
from tuijin.reporting.calendar import deadline_for
from tuijin.toolkit.errors import ValidationFailed

from . import test_workflow as workflow
from .test_workflow import acting, at

building, clock = workflow.building, workflow.clock  # fixtures shared with the workflow tests

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("code", "opens_on", "deadline"), [
    # National Day: 1–7 October 2022 off; Saturday 8 and Sunday 9 October are working days.
    ("2022-09", dt.date(2022, 9, 1), dt.date(2022, 10, 12)),
    # Spring Festival: 31 January – 6 February 2022 off.
    ("2022-01", dt.date(2022, 1, 1), dt.date(2022, 2, 11)),
    # An ordinary month: the 5th working day of August.
    ("2022-07", dt.date(2022, 7, 1), dt.date(2022, 8, 5)),
    # December reports fall in the next year, after the New Year holiday (1–3 January 2022).
    ("2021-12", dt.date(2021, 12, 1), dt.date(2022, 1, 10)),
])
def test_a_period_opens_on_the_first_with_its_deadline_in_working_days(db, code, opens_on, deadline):
    period = services.period_get(code)
    assert (period.code, period.opens_on, period.deadline) == (code, opens_on, deadline)
    assert services.period_get(code).pk == period.pk  # opened once


def test_the_deadline_comes_from_the_plans_working_day(db):
    assert deadline_for(2022, 9, deadline_working_day=1) == dt.date(2022, 10, 8)  # a make-up Saturday
    assert deadline_for(2022, 9, deadline_working_day=3) == dt.date(2022, 10, 10)


@pytest.mark.parametrize("code", ["2022-13", "2022-7", "22-07", "1999-12", "2101-01", "", "abcd-ef"])
def test_a_malformed_or_absurd_period_is_refused(db, code):
    with pytest.raises(ValidationFailed):
        services.period_get(code)


@pytest.mark.parametrize(("submitted_on", "late"), [
    (at(2022, 10, 9), False),    # a make-up working Sunday, before the deadline
    (at(2022, 10, 12, 23), False),  # the deadline day itself
    (at(2022, 10, 13, 9), True),
])
def test_lateness_is_judged_against_the_holiday_adjusted_deadline(users, building, clock, submitted_on,
                                                                  late):
    project = building()
    clock(at(2022, 9, 30))
    with acting(users["jinshui"]):
        services.report_save(actor=users["jinshui"], project_id=project.pk, period_code="2022-09",
                             data={"month_amount": "10"})
    clock(submitted_on)
    with acting(users["jinshui"]):
        up = services.unit_period_submit(actor=users["jinshui"], unit_code="jinshui", period_code="2022-09")
    assert up.late is late
