"""The demo's monthly progress (issue 3 item 7): periods, statuses, consistent figures, planted problems."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from tuijin.audit.models import AuditEntry
from tuijin.demo.generate import demo_plan, facts_from_plan
from tuijin.demo.steps import demo_steps, generate_all
from tuijin.demo.steps import reporting as progress_demo
from tuijin.orgs.models import Org
from tuijin.projects.models import AnnualPlan, Project
from tuijin.reporting.models import CorrectionRequest, Period, ProgressReport, UnitMonthSummary, UnitPeriod
from tuijin.reporting.rules import RowFacts, quality_warnings
from tuijin.reporting.services import clean_report_data
from tuijin.toolkit.periods import is_working_day

pytestmark = pytest.mark.django_db

PROJECTS = 500
SEED = 2022
APPROVED_CODES = [f"{y}-{m:02d}" for y in (2021, 2022) for m in range(1, 13) if (y, m) <= (2022, 6)]
ALL_CODES = [*APPROVED_CODES, "2022-07"]
#: warning message → planted kind
KIND_OF_MESSAGE = (
    ("超过年度计划", progress_demo.YTD_OVER_PLAN),
    ("超过总投资", progress_demo.CUMULATIVE_OVER_TOTAL),
    ("平均值的", progress_demo.SPIKE),
    ("项目已竣工", progress_demo.COMPLETED_REPORTED),
    ("尚未开工", progress_demo.NOT_STARTED),
    ("完成百分比由", progress_demo.PERCENT_DOWN),
)


@pytest.fixture(scope="module")
def loaded(module_db):
    return module_db("--projects", str(PROJECTS), "--seed", str(SEED))


@pytest.fixture(scope="module")
def generated():
    return generate_all(facts_from_plan(demo_plan()), seed=SEED, projects=PROJECTS)


@pytest.fixture(scope="module")
def rows(loaded):
    """Every report as a dict, by project, in period order."""
    by_project: dict[int, list[dict]] = defaultdict(list)
    for r in (ProgressReport.objects.order_by("project_id", "period__year", "period__month")
              .values("id", "project_id", "unit__code", "period__code", "period__year", "period__month",
                      "month_amount_yuan", "ytd_amount_yuan", "cumulative_amount_yuan", "percent_complete",
                      "started", "status", "return_reason")):
        by_project[r["project_id"]].append(r)
    return by_project


@pytest.fixture(scope="module")
def planted(loaded, generated):
    """(project id, period code) → planted kind, from the generated data (projects matched by name)."""
    ids = dict(Project.objects.values_list("name", "pk"))
    specs = generated["projects"]
    return {(ids[specs[s.ref].name], s.period): s.kind for s in generated["progress"].planted}


def warning_kinds(row: dict, previous: list[dict], project: Project, plans: dict[tuple[int, int], int]) -> set[str]:
    """The data-quality warnings of one row, as a careful caller would ask (the stage as of the period)."""
    rule = demo_plan().rules.data_quality
    month_start = dt.date(row["period__year"], row["period__month"], 1)
    stage = project.stage
    if stage == "completed" and project.actual_end and project.actual_end >= month_start:
        stage = "construction"  # completed later: in this month it was still being built
    facts = RowFacts(
        month_amount_yuan=row["month_amount_yuan"], ytd_yuan=row["ytd_amount_yuan"],
        cumulative_yuan=row["cumulative_amount_yuan"],
        annual_plan_yuan=plans.get((project.pk, row["period__year"])),
        total_investment_yuan=project.total_investment_yuan,
        trailing_amounts_yuan=tuple(r["month_amount_yuan"] for r in previous),
        percent_complete=row["percent_complete"],
        previous_percent=previous[-1]["percent_complete"] if previous else None,
        project_stage=stage, started=row["started"],
    )
    messages = [message for _column, message in quality_warnings(
        facts, spike_factor=rule.spike_factor, spike_window=rule.spike_window_months)]
    return {kind for message in messages for needle, kind in KIND_OF_MESSAGE if needle in message}


@pytest.fixture(scope="module")
def warnings_2022(rows):
    """(project id, period code) → warning kinds, for every row of 2022-06 and 2022-07."""
    projects = Project.objects.in_bulk(list(rows))
    plans = {(p, y): a for p, y, a in AnnualPlan.objects.values_list("project_id", "year", "amount_yuan")}
    out = {}
    for project_id, series in rows.items():
        for i, row in enumerate(series):
            if row["period__code"] in ("2022-06", "2022-07"):
                out[(project_id, row["period__code"])] = warning_kinds(row, series[:i], projects[project_id], plans)
    return out


def test_the_step_is_discovered_after_the_projects():
    names = [s.name for s in demo_steps()]
    assert "progress" in names and names.index("progress") > names.index("projects")


def test_periods_2021_01_to_2022_07_are_open(loaded):
    periods = {p.code: p for p in Period.objects.all()}
    assert sorted(periods) == ALL_CODES
    for p in periods.values():
        following = dt.date(p.year + p.month // 12, p.month % 12 + 1, 1)
        assert p.opens_on == dt.date(p.year, p.month, 1)
        assert p.deadline.replace(day=1) == following and is_working_day(p.deadline)


def test_every_unit_is_approved_up_to_june_2022(loaded):
    units = Org.objects.reporting_units()
    assert units.count() == 16
    done = UnitPeriod.objects.filter(period__code__in=APPROVED_CODES).select_related("period", "unit")
    assert done.count() == 16 * len(APPROVED_CODES)
    assert {u.status for u in done} == {"approved"}
    for u in done:
        assert u.submitted_by.username == u.unit.code and u.reviewed_by.username == "fgw"
        assert u.reviewed_at > u.submitted_at and u.reviewed_at.date() > u.period.deadline
        assert u.late == (u.submitted_at.date() > u.period.deadline)
    late = [u for u in done if u.late]
    assert 1 <= len({u.unit_id for u in late}) <= 4 and len(late) <= 12
    assert set(ProgressReport.objects.filter(period__code__in=APPROVED_CODES)
               .values_list("status", flat=True).distinct()) == {"approved"}


def test_july_2022_is_partly_submitted(loaded):
    july = {u.unit.code: u for u in UnitPeriod.objects.filter(period__code="2022-07").select_related("unit", "period")}
    assert len(july) == 16
    statuses = Counter(u.status for u in july.values())
    assert statuses == {"submitted": 9, "returned": 1, "draft": 6}
    submitted = [u for u in july.values() if u.status == "submitted"]
    assert sum(u.late for u in submitted) == 2
    assert all(u.late == (u.submitted_at.date() > u.period.deadline) for u in submitted)
    assert july["jinshui"].status == "draft"

    (returned,) = [u for u in july.values() if u.status == "returned"]
    assert returned.return_reason and returned.reviewed_by.username == "fgw"
    reports = ProgressReport.objects.filter(period__code="2022-07")
    assert set(reports.filter(unit=returned.unit).values_list("status", flat=True)) == {"returned"}
    assert reports.filter(unit=returned.unit).exclude(return_reason="").count() == 2
    assert reports.exclude(unit=returned.unit).filter(~Q(return_reason="")).count() == 0

    for code, u in july.items():
        assert set(reports.filter(unit__code=code).values_list("status", flat=True)) <= {u.status}
    drafting = [code for code, u in july.items() if u.status == "draft"]
    assert all(july[code].submitted_at is None for code in drafting)
    # drafting units have left some of their projects out
    building = Project.objects.filter(unit__code__in=drafting, stage="construction").count()
    assert reports.filter(unit__code__in=drafting, started=True).count() < building


def test_ytd_restarts_each_january_and_adds_up(rows):
    checked = 0
    for series in rows.values():
        previous = None
        for row in series:
            if previous is None:
                assert row["cumulative_amount_yuan"] >= row["month_amount_yuan"]
            else:
                same_year = previous["period__year"] == row["period__year"]
                assert row["ytd_amount_yuan"] == row["month_amount_yuan"] + (previous["ytd_amount_yuan"] if same_year else 0)
                assert row["cumulative_amount_yuan"] == previous["cumulative_amount_yuan"] + row["month_amount_yuan"]
            if row["period__month"] == 1:
                assert row["ytd_amount_yuan"] == row["month_amount_yuan"]
            previous = row
            checked += 1
        by_year = defaultdict(int)
        for row in series:
            by_year[row["period__year"]] += row["month_amount_yuan"]
        last_of_year = {row["period__year"]: row for row in series}
        assert {y: r["ytd_amount_yuan"] for y, r in last_of_year.items()} == dict(by_year)
    assert checked == ProgressReport.objects.count() > 2000


def test_cumulative_never_decreases_and_percent_rises(rows, planted):
    for project_id, series in rows.items():
        cumulative = [r["cumulative_amount_yuan"] for r in series]
        assert cumulative == sorted(cumulative)
        percents = [r["percent_complete"] for r in series if (project_id, r["period__code"]) not in planted]
        assert percents == sorted(percents)
        assert all(Decimal("0") < p <= 100 for p in percents)


def test_yearly_sums_follow_the_annual_plan(rows):
    plans = dict(((p, y), a) for p, y, a in AnnualPlan.objects.filter(year=2021).values_list("project_id", "year", "amount_yuan"))
    ratios = []
    for project_id, series in rows.items():
        months = [r for r in series if r["period__year"] == 2021]
        if months and (project_id, 2021) in plans:
            ratios.append(sum(r["month_amount_yuan"] for r in months) / plans[(project_id, 2021)])
    assert len(ratios) > 100
    in_band = [r for r in ratios if 0.85 <= r <= 1.10]
    assert len(in_band) >= 0.8 * len(ratios)
    assert all(0.45 <= r <= 1.101 for r in ratios)
    assert any(0.45 <= r < 0.75 for r in ratios)  # a few lag behind their plan


def test_the_months_have_zhengzhous_seasonal_shape(rows):
    """Projects at work all through 2021: low around the Spring Festival, the July flood, a year-end push."""
    by_month = Counter()
    for series in rows.values():
        months = {r["period__month"]: r["month_amount_yuan"] for r in series if r["period__year"] == 2021}
        if len(months) == 12 and series[0]["period__code"] == "2021-01" and series[0]["cumulative_amount_yuan"] > series[0]["month_amount_yuan"]:
            by_month.update(months)
    assert by_month[1] + by_month[2] < by_month[3] + by_month[4]
    assert by_month[2] < by_month[6] and by_month[1] < by_month[5]
    assert by_month[7] < 0.75 * by_month[6] and by_month[8] < by_month[6]  # “7·20” flood
    assert by_month[12] > by_month[10] and by_month[11] + by_month[12] > by_month[9] + by_month[10]


def test_every_planted_warning_kind_fires(planted, warnings_2022):
    assert len(planted) >= 10
    fired = Counter()
    for key, kind in planted.items():
        assert kind in warnings_2022[key], (key, kind, warnings_2022[key])
        fired[kind] += 1
    assert set(fired) == set(progress_demo.PLANT_KINDS)
    units = set(ProgressReport.objects.filter(project_id__in=[p for p, _ in planted]).values_list("unit__code", flat=True))
    assert "jinshui" in units and len(units) >= 5


def test_regular_rows_raise_no_warnings(planted, warnings_2022):
    noisy = {key: kinds for key, kinds in warnings_2022.items() if kinds and key not in planted}
    assert noisy == {}


def test_correction_requests_wait_on_approved_june_rows(loaded):
    requests = list(CorrectionRequest.objects.select_related("report__period", "requested_by__org", "unit"))
    assert len(requests) == 2
    assert len({c.unit_id for c in requests}) == 2
    for c in requests:
        assert c.status == "pending" and c.reason and c.changes
        assert c.report.period.code == "2022-06" and c.report.status == "approved"
        assert c.unit_id == c.report.unit_id == c.requested_by.org_id
        reviewed = UnitPeriod.objects.get(unit_id=c.unit_id, period=c.report.period).reviewed_at
        assert c.requested_at > reviewed
        assert clean_report_data(c.changes, creating=False)  # in the terms the correction service applies


def test_unit_month_summaries_match_the_approved_rows(loaded):
    sums = {(r["unit_id"], r["period_id"]): r for r in (
        ProgressReport.objects.filter(status="approved").order_by().values("unit_id", "period_id")
        .annotate(month=Sum("month_amount_yuan"), ytd=Sum("ytd_amount_yuan"), n=Count("id"),
                  started=Count("id", filter=Q(started=True))))}
    summaries = list(UnitMonthSummary.objects.all())
    assert len(summaries) == len(sums) > 0
    assert {s.period.code for s in summaries} == set(APPROVED_CODES)
    for s in summaries:
        r = sums[(s.unit_id, s.period_id)]
        assert (s.month_amount_yuan, s.ytd_amount_yuan, s.projects_reported, s.projects_started) == \
            (r["month"], r["ytd"], r["n"], r["started"])


def test_the_rows_are_the_generated_ones(loaded, generated):
    names = {pk: name for pk, name in Project.objects.values_list("pk", "name")}
    in_db = sorted(
        (names[p], period, month, ytd, cumulative, status)
        for p, period, month, ytd, cumulative, status in ProgressReport.objects.values_list(
            "project_id", "period__code", "month_amount_yuan", "ytd_amount_yuan", "cumulative_amount_yuan", "status"))
    specs = generated["projects"]
    expected = sorted((specs[r.ref].name, r.period, r.month_yuan, r.ytd_yuan, r.cumulative_yuan, r.status)
                      for r in generated["progress"].reports)
    assert in_db == expected


def test_generation_is_deterministic(generated):
    facts = facts_from_plan(demo_plan())
    again = generate_all(facts, seed=SEED, projects=PROJECTS)["progress"]
    assert again == generated["progress"]
    other = generate_all(facts, seed=SEED + 1, projects=PROJECTS)["progress"]
    assert other.reports != again.reports


def test_one_audit_entry_for_the_batch(loaded):
    batch = AuditEntry.objects.get(action="import", object_type="reporting.progressreport")
    assert batch.after["progress_reports"] == ProgressReport.objects.count()
    assert batch.after["unit_periods"] == UnitPeriod.objects.count() == 16 * len(ALL_CODES)
    assert sum(batch.after["planted_quality_problems"].values()) >= 10
    assert batch.source == "cli" and batch.reason == "演示数据"
    demo = AuditEntry.objects.get(action="import", object_type="demo")
    assert demo.after["progress_reports"] == ProgressReport.objects.count()
    assert "项目月度进展" in loaded
