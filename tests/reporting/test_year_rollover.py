"""The year rolls over (issue 15, "Must show"): the whole 2022 → 2023 rollover on a reduced demo, through
the real doors (commands, the API, the pages).

The plans directory starts with the 2022 file only (as a city's does while 2022 runs); the demo is
loaded and 2022's second quarter evaluated; the rest of 2022's statistics come in; then the 2023 plan
file (plans/examples/zhengzhou-2023.yaml: awards 200/120/60, unit target 8 %, statistics months 2–12,
streaks carried across) arrives and 2023 is opened.
"""

from __future__ import annotations

import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command
from django.test import override_settings
from rest_framework.test import APIClient

from tuijin.assessment.models import Evaluation
from tuijin.audit.models import AuditEntry
from tuijin.orgs.models import User
from tuijin.plan import load_plan, reset_plans
from tuijin.projects.models import AnnualPlan, Project, Stage
from tuijin.reporting import signals
from tuijin.reporting.models import Period, ReportingYear
from tuijin.stats.models import OfficialStat

pytestmark = pytest.mark.django_db

PLANS = Path(__file__).resolve().parents[2] / "plans"
PLAN_2022, PLAN_2023 = PLANS / "zhengzhou-2022.yaml", PLANS / "examples" / "zhengzhou-2023.yaml"
#: The unit in last place from November 2022 on; before it, xinmi.
LAGGARD, EARLIER_LAGGARD = "gongyi", "xinmi"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def run_json(*args: str):  # noqa: ANN201
    return json.loads(run(*args, "--json"))


def growth_of(code: str, codes: list[str], year: int, month: int) -> Decimal:
    """Distinct growths; the laggard last from 2022-11 on, xinmi last before."""
    value = Decimal(6) + Decimal(codes.index(code)) / 2
    laggard = LAGGARD if (year, month) >= (2022, 11) else EARLIER_LAGGARD
    return Decimal("1.5") if code == laggard else value


def write_stats(path: Path, months: list[tuple[int, int]], codes: list[str]) -> Path:
    """An official statistics sheet of FAI for ``months``: each unit's year-to-date is last year's same
    month (as stored) grown by its growth."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for col, head in enumerate(("单位代码", "指标", "本年累计（万元）", "同比增长（%）", "期间")):
        sheet.write_string(0, col, head)
    row = 1
    for year, month in months:
        for code in codes:
            base = OfficialStat.objects.get(org__code=code, indicator="fai", year=year - 1, month=month).ytd_value_yuan
            growth = growth_of(code, codes, year, month)
            ytd_wan = (Decimal(base) / 10_000 * (1 + growth / 100)).quantize(Decimal(1))
            sheet.write_string(row, 0, code)
            sheet.write_string(row, 1, "fai")
            sheet.write_number(row, 2, float(ytd_wan))
            sheet.write_number(row, 3, float(growth))
            sheet.write_string(row, 4, f"{year}-{month:02d}")
            row += 1
    book.close()
    return path


def evaluation_figures(quarter: str) -> tuple[str, dict[str, tuple]]:
    year, q = int(quarter[:4]), int(quarter[-1])
    evaluation = Evaluation.objects.filter(year=year, quarter=q).order_by("-computed_at", "-pk").first()
    assert evaluation is not None
    return evaluation.plan_hash, {r.org.code: (r.score, r.rank, r.award_yuan)
                                  for r in evaluation.results.select_related("org")}


@pytest.fixture
def plans_dir(tmp_path):
    directory = tmp_path / "plans"
    directory.mkdir()
    shutil.copy(PLAN_2022, directory / PLAN_2022.name)
    with override_settings(TUIJIN_PLANS_DIR=str(directory)):
        reset_plans()
        yield directory
    reset_plans()


def test_the_whole_rollover_from_2022_to_2023(plans_dir, tmp_path, business_date, heard_on,
                                              django_capture_on_commit_callbacks):
    plan_2022, plan_2023 = load_plan(PLAN_2022), load_plan(PLAN_2023)
    assert "演示数据加载完成" in run("demo", "--small")
    codes = list(plan_2022.unit_codes())

    # 2022 runs: its second quarter is evaluated under the 2022 plan.
    run("evaluate", "--quarter", "2022Q2")
    hash_before, figures_before = evaluation_figures("2022Q2")
    assert hash_before == plan_2022.hash
    assert max(award for _, _, award in figures_before.values()) == 150 * 10_000

    # The rest of 2022's statistics arrive in the new year.
    business_date("2023-04-20")
    sheet = write_stats(tmp_path / "2022h2.xlsx", [(2022, m) for m in range(7, 13)], codes)
    run("import_stats", str(sheet), "--period", "2022-12")
    assert OfficialStat.objects.filter(year=2022, month=12, indicator="fai").count() == len(codes)

    # Without a 2023 plan file, 2023 cannot be opened; nor can 2022 (the first year) be opened again.
    with pytest.raises(CommandError, match="2023"):
        run("year_open", "2023")
    with pytest.raises(CommandError, match="2022年已开启"):
        run("year_open", "2022")

    # The 2023 plan arrives.
    shutil.copy(PLAN_2023, plans_dir / PLAN_2023.name)
    reset_plans()
    with pytest.raises(CommandError, match="2024"):
        run("year_open", "2024")

    dry = run_json("year_open", "2023", "--dry-run")
    assert dry["dry_run"] and dry["plan_id"] == "zhengzhou-2023" and dry["plan_hash"] == plan_2023.hash
    assert not ReportingYear.objects.exists() and not Period.objects.filter(year=2023).exists()

    opened = heard_on(signals.year_opened)
    with django_capture_on_commit_callbacks(execute=True):
        result = run_json("year_open", "2023")
    assert result["periods"] == [f"2023-{m:02d}" for m in range(1, 13)] and result["periods_created"] == 12
    assert result["unit_targets"]["jinshui"] == {"unit_fai_growth": "8"}
    assert [call["year"] for call in opened] == [2023] and opened[0]["plan"].hash == plan_2023.hash
    record = ReportingYear.objects.get(year=2023)
    assert (record.plan_id, record.plan_hash) == ("zhengzhou-2023", plan_2023.hash)
    assert AuditEntry.objects.filter(object_type="reporting.reportingyear", action="create").count() == 1
    carried = Project.objects.filter(stage__in=[Stage.CONSTRUCTION, Stage.READY])
    assert result["carried_projects"] <= carried.count()
    without = result["without_annual_plan"]
    planned_2023 = set(AnnualPlan.objects.filter(year=2023).values_list("project_id", flat=True))
    assert without and all(row["id"] not in planned_2023 for row in without)

    # Opening it twice: refused, nothing changed.
    counts = (Period.objects.count(), ReportingYear.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError, match="2023年已开启"):
        run("year_open", "2023")
    assert (Period.objects.count(), ReportingYear.objects.count(), AuditEntry.objects.count()) == counts

    # From 2023 on a carried-over project needs a 2023 annual plan to be reported: the list shows who lacks
    # one; once its unit enters one (the API), the project is in the 2023 template.
    admin = User.objects.get(username="fgw")
    page = APIClient()
    page.force_login(admin)
    response = page.get("/reporting/without-annual-plan/?year=2023")
    assert response.status_code == 200
    assert f"共 {len(without)} 个项目" in response.content.decode()
    first = Project.objects.get(pk=without[0]["id"])
    unit_projects = [row for row in without if row["unit"] == first.unit.code]
    template = tmp_path / "t.xlsx"
    before = run("export_template", "progress", "--period", "2023-03", "--unit", first.unit.code, "-o", str(template))
    patch = page.patch(f"/api/v1/projects/{first.pk}/", {"version": first.version, "annual_plans": {"2023": "800"}},
                       format="json")
    assert patch.status_code == 200, patch.content
    after = run("export_template", "progress", "--period", "2023-03", "--unit", first.unit.code, "-o", str(template))
    count = lambda text: int(text.split("：")[1].split(" 个项目")[0])  # noqa: E731
    assert count(after) == count(before) + 1
    assert len(unit_projects) >= 1

    # 2023's statistics: 1–2月 together, so a January is refused naming the months; February and March in.
    with pytest.raises(CommandError, match="1–2月"):
        run("import_stats", str(write_stats(tmp_path / "jan.xlsx", [(2023, 1)], codes)), "--period", "2023-01")
    assert not OfficialStat.objects.filter(year=2023).exists()
    run("import_stats", str(write_stats(tmp_path / "q1.xlsx", [(2023, 2), (2023, 3)], codes)), "--period", "2023-03")

    # Ranking and the streak carried across the year: last in Nov and Dec 2022 and in 1–2月 2023 → 3 months.
    ranking = run_json("rank", "--period", "2023-03")
    assert ranking[-1]["org"] == LAGGARD and ranking[-1]["rank"] == len(codes)
    escalations = {row["org"]: row for row in run_json("escalations", "--period", "2023-02")}
    assert escalations[LAGGARD]["streak"] == 3 and escalations[LAGGARD]["level"] == "mayor_talk"
    assert run_json("escalations", "--period", "2023-01") == []

    # Year-on-year and the forecast: 2023 against 2022's actuals, against the 2023 plan's target.
    forecast = {row["org"]: row for row in run_json("forecast", "--period", "2023-03")}
    december = OfficialStat.objects.get(org__code="jinshui", indicator="fai", year=2022, month=12).ytd_value_yuan
    assert Decimal(str(forecast["jinshui"]["last_year_total_wan"])) == Decimal(december) / 10_000
    assert Decimal(str(forecast["jinshui"]["target"])) == 8

    # The 2023 evaluation pays the 2023 plan's awards; 2022's stays as it was, with its plan hash.
    run("evaluate", "--quarter", "2023Q1")
    hash_2023, figures_2023 = evaluation_figures("2023Q1")
    assert hash_2023 == plan_2023.hash
    awards = sorted({award for _, _, award in figures_2023.values()}, reverse=True)
    assert awards[0] == 200 * 10_000 and set(awards) <= {200 * 10_000, 120 * 10_000, 60 * 10_000, 0}
    assert evaluation_figures("2022Q2") == (hash_before, figures_before)

    # The streak follows the plan: a 2023 plan that does not carry streaks across starts afresh at 1–2月.
    text = PLAN_2023.read_text(encoding="utf-8").replace("streak_across_years: true", "streak_across_years: false")
    (plans_dir / PLAN_2023.name).write_text(text, encoding="utf-8")
    reset_plans()
    escalations = {row["org"]: row for row in run_json("escalations", "--period", "2023-02")}
    assert escalations[LAGGARD]["streak"] == 1 and escalations[LAGGARD]["level"] == "notice"
