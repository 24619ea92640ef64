"""Benchmark of the monthly progress import (issue 3 "Must show"; DESIGN §8).

    python bench/bench_import.py --rows 10000 [--rows 100000] [--runs 3]

Uses its own scratch database: a temporary SQLite file, or, when ``DATABASE_URL``
points at PostgreSQL, a scratch database created beside it and dropped at the end.
For each size it creates N projects in one unit with three months of history, writes
an N-row progress workbook with XlsxWriter, and measures (medians of ``--runs``):

(a) the floor: python-calamine parse alone plus a raw bulk upsert of the same rows
    (``executemany`` ``INSERT … ON CONFLICT`` on SQLite; ``COPY`` into a temporary table
    and one ``INSERT … SELECT … ON CONFLICT`` on PostgreSQL);
(b) ``import_progress`` end to end (validation, derived totals, data-quality checks,
    upsert, per-row audit), seconds and rows/s;

then the ratio (b)/(a) (median of the per-run ratios: floor and import alternate), the peak of Python allocations during one import (tracemalloc)
and the growth of the resident set of a fresh process running one import (maxrss delta).
Prints a table (Markdown). A script, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve()
SRC = HERE.parent.parent / "src"
TARGET_PERIOD = "2022-06"
HISTORY = ("2022-03", "2022-04", "2022-05")
UNITS = ("jinshui", "zhongyuan", "erqi", "guancheng", "huiji")


# ---------------------------------------------------------------------------
# Scratch database

class Scratch:
    """Points DATABASE_URL at a throw-away database for the life of the benchmark."""

    def __init__(self) -> None:
        self.original = os.environ.get("DATABASE_URL", "")
        self.tmp = tempfile.TemporaryDirectory(prefix="tuijin-bench-")
        self.pg_admin_url = ""
        self.pg_name = ""

    @property
    def backend(self) -> str:
        return "PostgreSQL" if self.pg_name else "SQLite"

    def __enter__(self) -> Scratch:
        os.environ["TUIJIN_VAR_DIR"] = self.tmp.name
        if self.original.startswith(("postgres://", "postgresql://")):
            import psycopg

            self.pg_admin_url = self.original
            self.pg_name = f"tuijin_bench_{os.getpid()}"
            with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_name}"')
            parts = urlsplit(self.original)
            os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.pg_name}"))
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{self.tmp.name}/bench.sqlite3"
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not have been set up
            pass
        if self.pg_name:
            import psycopg

            with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        if self.original:
            os.environ["DATABASE_URL"] = self.original
        self.tmp.cleanup()


def django_setup() -> None:
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuijin.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log: production runs without it


# ---------------------------------------------------------------------------
# Data

def make_unit_data(unit_code: str, n: int, user_name: str) -> tuple[Any, Any, list[str]]:
    """N construction-stage projects with annual plans in one unit, and a unit user."""
    import datetime as dt

    from tuijin.audit.context import audit_context
    from tuijin.orgs.models import Org, User
    from tuijin.projects.models import AnnualPlan, Project

    unit = Org.objects.get(code=unit_code)
    division = unit.division_code or "410100"
    codes = [f"2022-{division}-35-03-{i:06d}" for i in range(1, n + 1)]
    with audit_context(source="system", reason="benchmark data"):
        user = User.objects.create(username=user_name, org=unit, roles=["unit"], full_name=user_name)
        for start in range(0, n, 5000):
            Project.objects.bulk_create([
                Project(project_code=code, name=f"基准测试项目{i}", unit=unit, category="industrial",
                        field="advanced_manufacturing", total_investment_yuan=(50_000 + i % 997) * 10_000 * 10,
                        stage="construction", planned_start=dt.date(2022, 1, 1), actual_start=dt.date(2022, 1, 1))
                for i, code in enumerate(codes[start:start + 5000], start=start)
            ])
        ids = list(Project.objects.filter(unit=unit).order_by("id").values_list("id", flat=True))
        for start in range(0, n, 5000):
            AnnualPlan.objects.bulk_create([AnnualPlan(project_id=pid, year=2022, amount_yuan=20_000 * 10_000 * 10)
                                            for pid in ids[start:start + 5000]])
    return unit, user, codes


def write_workbook(path: Path, codes: list[str], *, period: str, unit_code: str) -> None:
    """An N-row filled template: the same sheets, headers and metadata as an exported one."""
    import xlsxwriter

    from tuijin.reporting.workbook import DATA_SHEET, HEADERS, META_SHEET

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet(DATA_SHEET)
    for col, header in enumerate(HEADERS):
        sheet.write_string(0, col, header)
    for r, code in enumerate(codes, start=1):
        sheet.write_string(r, 0, code)
        sheet.write_string(r, 1, f"基准测试项目{r - 1}")
        sheet.write_number(r, 2, 500_000 + (r - 1) % 997)
        sheet.write_number(r, 3, 200_000)
        sheet.write_number(r, 4, 300 + r % 50)
        sheet.write_number(r, 5, 40)
        sheet.write_number(r, 6, round(100 + (r * 37 % 1000) / 8, 4))
        sheet.write_string(r, 7, f"主体结构施工，完成至第{r % 30 + 1}层")
        sheet.write_number(r, 8, 40 + r % 50)
        sheet.write_string(r, 9, "是")
        sheet.write_string(r, 10, "按计划推进" if r % 3 else "")
    meta = book.add_worksheet(META_SHEET)
    for i, (key, value) in enumerate((("kind", "progress"), ("period", period), ("unit", unit_code))):
        meta.write_string(i, 0, key)
        meta.write_string(i, 1, value)
    meta.very_hidden()
    book.close()


# ---------------------------------------------------------------------------
# (a) the floor: calamine parse + raw bulk upsert

def floor_parse(path: Path) -> list[tuple]:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(str(path)) as book:
        rows = book.get_sheet_by_name("月度进展").iter_rows()
        next(rows)
        return [(r[0], r[6], r[7], r[8], r[9], r[10]) for r in rows]


def raw_upsert(unit_id: int, period_id: int, rows: list[tuple]) -> None:
    """The same rows, written the fastest way each database offers (DESIGN §8 floors)."""
    from django.db import connection, transaction
    from django.utils import timezone

    cols = ("unit_id, period_id, project_id, month_amount_yuan, ytd_amount_yuan, cumulative_amount_yuan, "
            "physical_progress, percent_complete, started, notes, status, return_reason, version, updated_at")
    conflict = ("ON CONFLICT (unit_id, period_id, project_id) DO UPDATE SET "
                "month_amount_yuan = EXCLUDED.month_amount_yuan, ytd_amount_yuan = EXCLUDED.ytd_amount_yuan, "
                "cumulative_amount_yuan = EXCLUDED.cumulative_amount_yuan, "
                "physical_progress = EXCLUDED.physical_progress, percent_complete = EXCLUDED.percent_complete, "
                "started = EXCLUDED.started, notes = EXCLUDED.notes")
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE TEMPORARY TABLE bench_in (project_id bigint, amount bigint, progress text, "
                           "percent numeric(5,2), started boolean, notes text) ON COMMIT DROP")
            with cursor.cursor.copy("COPY bench_in FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO reporting_progressreport ({cols}) SELECT %s, %s, project_id, amount, "
                           f"amount, amount, progress, percent, started, notes, 'draft', '', 1, %s FROM bench_in "
                           f"{conflict}", [unit_id, period_id, now])
        else:
            stamp = connection.ops.adapt_datetimefield_value(now)
            cursor.executemany(
                f"INSERT INTO reporting_progressreport ({cols}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                f"'draft', '', 1, %s) {conflict}",
                [(unit_id, period_id, pid, amount, amount, amount, progress, percent, started, notes, stamp)
                 for pid, amount, progress, percent, started, notes in rows])


def floor_rows(parsed: list[tuple], ids: dict[str, int]) -> list[tuple]:
    return [(ids[code], int(round(amount * 10_000)), progress, percent, started == "是", notes)
            for code, amount, progress, percent, started, notes in parsed]


def clear_period(unit_id: int, period_id: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reporting_progressreport WHERE unit_id = %s AND period_id = %s",
                       [unit_id, period_id])
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE reporting_progressreport")


# ---------------------------------------------------------------------------
# (b) the import, and its memory

def run_import(user: Any, path: Path, unit_code: str) -> Any:
    from tuijin.audit.context import audit_context
    from tuijin.reporting.importing import import_progress

    with audit_context(source="cli", actor=user, reason="benchmark"):
        result = import_progress(actor=user, path=path, period_code=TARGET_PERIOD, unit_code=unit_code)
    if not result.ok:
        raise SystemExit(f"benchmark import failed: {[e.line() for e in result.errors[:5]]}")
    return result


def child_main(args: argparse.Namespace) -> None:
    """In a fresh process: one import, and how much the resident set grew (calamine's too)."""
    django_setup()
    from tuijin.orgs.models import User
    from tuijin.reporting import importing  # noqa: F401  (loaded before the baseline)

    user = User.objects.get(username=args.child_user)
    base = _proc_status("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    run_import(user, Path(args.child_file), args.child_unit)
    seconds = time.perf_counter() - started
    peak = _proc_status("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "rss_delta_mb": (peak - base) / 1024, "rss_peak_mb": peak / 1024}))


def _proc_status(field: str) -> int:
    """A kB figure of /proc/self/status (VmRSS now, VmHWM the peak), 0 where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def child_rss(path: Path, unit_code: str, user_name: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(HERE), "--child-file", str(path), "--child-unit", unit_code,
                          "--child-user", user_name], check=True, capture_output=True, text=True, env=os.environ)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------

def bench(n: int, index: int, runs: int, backend: str) -> dict[str, Any]:
    from tuijin.audit.context import audit_context
    from tuijin.reporting.periods import period_open

    unit_code = UNITS[index % len(UNITS)]
    user_name = f"bench_{unit_code}"
    log(f"[{backend} {n}] creating {n} projects in {unit_code} …")
    unit, user, codes = make_unit_data(unit_code, n, user_name)
    from tuijin.projects.models import Project

    ids = dict(Project.objects.filter(unit=unit).values_list("project_code", "id"))
    tmp = Path(os.environ["TUIJIN_VAR_DIR"])
    with audit_context(source="system", reason="benchmark"):
        periods = {code: period_open(code) for code in (*HISTORY, TARGET_PERIOD)}
    log(f"[{backend} {n}] writing the workbook and 3 months of history …")
    history_file = tmp / f"history-{n}.xlsx"
    write_workbook(history_file, codes, period=HISTORY[-1], unit_code=unit_code)
    history = floor_rows(floor_parse(history_file), ids)
    for code in HISTORY:
        raw_upsert(unit.pk, periods[code].pk, history)
    path = tmp / f"progress-{n}.xlsx"
    write_workbook(path, codes, period=TARGET_PERIOD, unit_code=unit_code)
    target = periods[TARGET_PERIOD].pk

    # Floor and import alternate, so that both see the same (noisy) machine; each import
    # starts from an empty target month (created rows) with the same history.
    parse_times, insert_times, floor_times, import_times, ratios = [], [], [], [], []
    for run in range(runs):
        clear_period(unit.pk, target)
        t0 = time.perf_counter()
        parsed = floor_parse(path)
        t1 = time.perf_counter()
        raw_upsert(unit.pk, target, floor_rows(parsed, ids))
        t2 = time.perf_counter()
        del parsed
        parse_times.append(t1 - t0)
        insert_times.append(t2 - t1)
        floor_times.append(t2 - t0)
        clear_period(unit.pk, target)
        t3 = time.perf_counter()
        result = run_import(user, path, unit_code)
        import_times.append(time.perf_counter() - t3)
        assert result.created == n, (result.created, n)
        ratios.append(import_times[-1] / floor_times[-1])
        log(f"[{backend} {n}] run {run + 1}: floor {floor_times[-1]:.3f} s, import {import_times[-1]:.3f} s")

    clear_period(unit.pk, target)
    tracemalloc.start()
    run_import(user, path, unit_code)
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    clear_period(unit.pk, target)
    child = child_rss(path, unit_code, user_name)

    floor = statistics.median(floor_times)
    seconds = statistics.median(import_times)
    return {
        "backend": backend, "rows": n, "file_mb": path.stat().st_size / 1048576,
        "parse": statistics.median(parse_times), "insert": statistics.median(insert_times), "floor": floor,
        "import": seconds, "rows_per_s": n / seconds, "ratio": statistics.median(ratios),
        "py_peak_mb": py_peak / 1048576, "rss_delta_mb": child["rss_delta_mb"], "rss_peak_mb": child["rss_peak_mb"],
        "runs": runs,
    }


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def table(results: list[dict[str, Any]]) -> str:
    head = ("| database | rows | file MB | calamine parse s | raw upsert s | floor (a) s | import (b) s | rows/s "
            "| ratio (b)/(a) | Python peak MB | RSS growth MB | RSS peak MB |")
    lines = [head, "|---" * 12 + "|"]
    for r in results:
        lines.append(
            f"| {r['backend']} | {r['rows']:,} | {r['file_mb']:.1f} | {r['parse']:.3f} | {r['insert']:.3f} "
            f"| {r['floor']:.3f} | {r['import']:.3f} | {r['rows_per_s']:,.0f} | {r['ratio']:.2f}× "
            f"| {r['py_peak_mb']:.0f} | {r['rss_delta_mb']:.0f} | {r['rss_peak_mb']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, action="append", help="rows in the file (repeatable; default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measure; the median is shown")
    parser.add_argument("--child-file", help=argparse.SUPPRESS)
    parser.add_argument("--child-unit", help=argparse.SUPPRESS)
    parser.add_argument("--child-user", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_file:
        child_main(args)
        return
    sizes = args.rows or [10_000]
    with Scratch() as scratch:
        django_setup()
        from django.core.management import call_command

        from tuijin.audit.context import audit_context
        from tuijin.orgs.services import orgs_sync_from_plan

        log(f"[{scratch.backend}] migrating the scratch database …")
        call_command("migrate", verbosity=0)
        with audit_context(source="system", reason="benchmark"):
            orgs_sync_from_plan()
        results = [bench(n, i, args.runs, scratch.backend) for i, n in enumerate(sizes)]
    print(f"\n{results[0]['backend']}, medians of {args.runs} runs, machine: {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}\n")
    print(table(results))
    verdicts = []
    for r in results:
        if r["rows"] == 10_000:
            verdicts.append(f"10,000 rows: {r['import']:.2f} s (goal < 5 s: {'met' if r['import'] < 5 else 'MISSED'}); "
                            f"ratio {r['ratio']:.2f}× (goal ≤ 3×: {'met' if r['ratio'] <= 3 else 'MISSED'})")
    if len(results) > 1:
        small, large = results[0], results[-1]
        verdicts.append(f"memory per row: {small['rss_delta_mb'] * 1048576 / small['rows']:,.0f} B at "
                        f"{small['rows']:,} rows, {large['rss_delta_mb'] * 1048576 / large['rows']:,.0f} B at "
                        f"{large['rows']:,} rows (RSS growth)")
    print("\n" + "\n".join(verdicts))


if __name__ == "__main__":
    main()
