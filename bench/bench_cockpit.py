"""Benchmark of the cockpit and ranking endpoints (issue 4 "Must show"; DESIGN §8).

    python bench/bench_cockpit.py [--scale city|province|both] [--runs 60]

Each scale gets its own scratch PostgreSQL database (created beside ``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/postgres``, dropped at the end) and runs in its own process:

* ``city``: the demo (``tuijin demo``: 16 units, 5,000 projects, ~29,000 monthly rows, 2,040 statistics);
* ``province``: 160 units (a copy of the plan file with 144 more units), 100,000 projects (5 % key
  projects), 6,000,000 monthly progress rows (100,000 projects × 60 months, 2018–2022), their annual
  plans, approval items of the key projects, the per-unit monthly summary and 160 units' official
  statistics — all generated in SQL (``INSERT … SELECT generate_series``), then ``ANALYZE``.

For each endpoint — the cockpit page (``/``, HTML), its data (``/cockpit/data.json``) and the ranking
(``/cockpit/ranking.json?indicator=fai``) — as the city administrator, in process (Django test client,
``DEBUG`` off): warm-up, then ``--runs`` requests; p50 and p95 latency. "Raw SQL" is the same
aggregate without Django: the exact statements the request ran (captured), replayed on a psycopg
cursor, p50 and p95 over the same number of runs; the ratio is endpoint ÷ raw (p50 and p95). For the
heaviest aggregate (key-project year-to-date investment over the monthly rows) a hand-written query
is timed too. Prints Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
SRC = ROOT / "src"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
PROVINCE_UNITS = 160
PROVINCE_PROJECTS = 100_000
MONTHS = [(y, m) for y in range(2018, 2023) for m in range(1, 13)]  # 60 months
YEAR, MONTH = 2022, 6


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# ---------------------------------------------------------------------------
# The parent: one scratch database and one worker process per scale


def run_scale(scale: str, runs: int, keep: str = "") -> dict[str, Any]:
    """Run one scale in a worker process on a scratch database (``keep``: a named one, kept and reused)."""
    import psycopg

    admin = os.environ.get("DATABASE_URL") or DEFAULT_PG
    if not admin.startswith(("postgres://", "postgresql://")):
        admin = DEFAULT_PG
    name = keep or f"tuijin_bench_cockpit_{scale}_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    env = dict(os.environ)
    env["DATABASE_URL"] = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    tmp = tempfile.TemporaryDirectory(prefix="tuijin-bench-cockpit-")
    env["TUIJIN_VAR_DIR"] = tmp.name
    env["DEBUG"] = "true"  # the dev defaults (no SECRET_KEY needed); the worker turns DEBUG off itself
    env["DB_CONN_MAX_AGE"] = "600"  # persistent connections, as a production server keeps them
    env.pop("HUEY_IMMEDIATE", None)
    try:
        out = subprocess.run([sys.executable, str(HERE), "--worker", scale, "--runs", str(runs)], env=env,
                             check=True, stdout=subprocess.PIPE, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        if not keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        tmp.cleanup()


# ---------------------------------------------------------------------------
# The worker: data, then measurements


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def django_setup() -> None:
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuijin.settings")
    import django

    django.setup()


def province_plan(path: Path) -> None:
    """The plan file with 144 more reporting units (160 in all), all in the one ranking group."""
    import yaml

    source = ROOT / "plans" / "zhengzhou-2022.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for i in range(1, PROVINCE_UNITS - len(data["units"]) + 1):
        data["units"].append({"code": f"bench_unit_{i:03d}", "name": f"基准单位{i:03d}", "short_name": f"基准{i:03d}",
                              "kind": "district", "division_code": None,
                              "centre": [round(112.5 + (i % 12) * 0.2, 3), round(33.5 + (i // 12) * 0.2, 3)]})
    data["rules"]["ranking"]["groups"][0]["units"] = [u["code"] for u in data["units"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _column_values(model: Any, overrides: dict[str, str]) -> tuple[str, str]:
    """Column list and SQL expressions for an INSERT … SELECT of ``model``: overrides, else the
    field's empty value ('' for text, false for booleans, NULL where allowed, now() for times)."""
    from django.db import models

    cols, exprs = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        col = field.column
        cols.append(col)
        if col in overrides:
            exprs.append(overrides[col])
        elif field.null:
            exprs.append("NULL")
        elif isinstance(field, models.BooleanField):
            exprs.append("false")
        elif isinstance(field, models.DateTimeField):
            exprs.append("now()")
        elif isinstance(field, models.JSONField):
            exprs.append("'{}'::jsonb")
        elif isinstance(field, models.CharField | models.TextField):
            exprs.append("''")
        elif isinstance(field, models.IntegerField):
            exprs.append("0" if field.default in (None, models.NOT_PROVIDED) else str(field.default))
        else:
            raise ValueError(f"no value for {model.__name__}.{col}")
    return ", ".join(cols), ", ".join(exprs)


def _drop_constraints_and_indexes(cur: Any, table: str) -> list[str]:
    """Drop every constraint but the primary key, and every other index, of ``table``; return the DDL
    that makes them again."""
    cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype <> 'p'", [table])
    constraints = cur.fetchall()
    for name, _ in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [table, table])
    indexes = cur.fetchall()
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    return [ddl for _, ddl in indexes] + [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}'
                                            for name, ddl in constraints]


def make_province() -> None:
    import datetime as dt

    from django.db import connection

    from tuijin.audit.context import audit_context
    from tuijin.orgs.models import Org, User
    from tuijin.orgs.services import orgs_sync_from_plan
    from tuijin.projects.models import ApprovalItem, Project, ProjectTag
    from tuijin.reporting.models import Period, ProgressReport, UnitMonthSummary
    from tuijin.stats.models import OfficialStat

    t0 = time.perf_counter()
    with audit_context(source="system", reason="benchmark data"):
        orgs_sync_from_plan()
        User.objects.create(username="fgw", org=Org.objects.get(code="fgw"), roles=["city_admin"])
        for y, m in MONTHS:
            Period.objects.create(code=f"{y}-{m:02d}", year=y, month=m, opens_on=dt.date(y, m, 1),
                                  deadline=dt.date(y, m, 28))
    units = list(Org.objects.reporting_units().order_by("id").values_list("id", flat=True))
    assert len(units) == PROVINCE_UNITS, len(units)
    table = {m: m._meta.db_table for m in (Project, ProjectTag, ProgressReport, UnitMonthSummary, OfficialStat,
                                           ApprovalItem, Org, Period)}
    from tuijin.projects.models import AnnualPlan

    table[AnnualPlan] = AnnualPlan._meta.db_table
    unit_array = "ARRAY[" + ",".join(map(str, units)) + "]::bigint[]"
    with connection.cursor() as cur:
        cols, exprs = _column_values(Project, {
            "name": "'基准项目' || g", "unit_id": f"({unit_array})[1 + g % {len(units)}]",
            "category": "(ARRAY['industrial','infrastructure','real_estate','social','other'])[1 + g % 5]",
            "field": "'advanced_manufacturing'", "nature": "'new'", "investment_type": "'enterprise'",
            "total_investment_yuan": "(1000 + g % 50000)::bigint * 1000000",
            "stage": "CASE WHEN g % 10 = 0 THEN 'reserve' WHEN g % 10 = 1 THEN 'completed' ELSE 'construction' END",
            "planned_start": "date '2018-01-01' + (g % 1800)::int", "actual_start":
            "CASE WHEN g % 10 = 0 THEN NULL ELSE date '2018-01-01' + (g % 1800)::int END",
            "in_statistics": "g % 37 <> 0", "version": "1",
        })
        cur.execute(f"INSERT INTO {table[Project]} ({cols}) SELECT {exprs} "
                    f"FROM generate_series(1, {PROVINCE_PROJECTS}) AS g")
        log(f"  projects: {time.perf_counter() - t0:.0f} s")
        cur.execute(f"INSERT INTO {table[ProjectTag]} (project_id, tag) SELECT id, CASE WHEN id % 2 = 0 "
                    f"THEN 'provincial_key' ELSE 'city_key' END FROM {table[Project]} WHERE id % 20 = 0 "
                    f"UNION ALL SELECT id, 'shortfall_982' FROM {table[Project]} WHERE id % 33 = 0")
        cur.execute(f"INSERT INTO {table[AnnualPlan]} (project_id, year, amount_yuan) "
                    f"SELECT id, 2022, total_investment_yuan / 4 FROM {table[Project]}")
        cols, exprs = _column_values(ApprovalItem, {
            "project_id": "p.id", "code": "'item' || k", "name": "'审批事项' || k",
            "status": "CASE WHEN (p.id + k) % 5 < 3 THEN 'done' WHEN (p.id + k) % 5 = 3 THEN 'in_progress' "
                      "ELSE 'pending' END",
            "approved_on": "CASE WHEN (p.id + k) % 5 < 3 THEN date '2021-06-01' + ((p.id * 7 + k) % 500)::int END"})
        cur.execute(f"INSERT INTO {table[ApprovalItem]} ({cols}) SELECT {exprs} FROM {table[Project]} p "
                    f"JOIN {table[ProjectTag]} t ON t.project_id = p.id AND t.tag IN ('provincial_key', 'city_key') "
                    f"CROSS JOIN generate_series(1, 5) AS k")
        log(f"  tags, plans, approvals: {time.perf_counter() - t0:.0f} s")
        # 6,000,000 monthly rows, one year at a time (a month amount, ytd = amount × month). The table's
        # constraints and indexes are dropped first and made again after: building them once is faster
        # than maintaining them row by row (and checking deferred foreign keys 18 million times).
        saved = _drop_constraints_and_indexes(cur, table[ProgressReport])
        cols, exprs = _column_values(ProgressReport, {
            "unit_id": "p.unit_id", "period_id": "pe.id", "project_id": "p.id",
            "month_amount_yuan": "(p.total_investment_yuan / 80) * (80 + (p.id + pe.month) % 41) / 100",
            "ytd_amount_yuan": "(p.total_investment_yuan / 80) * (80 + (p.id + pe.month) % 41) / 100 * pe.month",
            "cumulative_amount_yuan": "(p.total_investment_yuan / 80) * pe.month", "started": "true",
            "status": "'approved'", "version": "1"})
        # Month by month, as the monthly imports write them (a period's rows lie together on disk).
        for year in sorted({y for y, _ in MONTHS}):
            cur.execute(f"INSERT INTO {table[ProgressReport]} ({cols}) SELECT {exprs} FROM {table[Period]} pe "
                        f"CROSS JOIN {table[Project]} p WHERE pe.year = {year} ORDER BY pe.id, p.id")
            log(f"  monthly rows {year}: {time.perf_counter() - t0:.0f} s")
        for ddl in saved:
            cur.execute(ddl)
        log(f"  indexes and constraints of the monthly rows made again: {time.perf_counter() - t0:.0f} s")
        # The summary as approval writes it (reporting.summary), period by period, timed.
        from tuijin.reporting.summary import refresh_unit_month_summary

        refresh_times = []
        for period in Period.objects.order_by("year", "month"):
            started = time.perf_counter()
            refresh_unit_month_summary(period=period)
            refresh_times.append(time.perf_counter() - started)
        log(f"  summaries refreshed, {len(refresh_times)} periods, median "
            f"{statistics.median(refresh_times) * 1000:.0f} ms: {time.perf_counter() - t0:.0f} s")
        city = Org.objects.get(code="city").pk
        cols, exprs = _column_values(OfficialStat, {
            "org_id": "o", "indicator": "ind", "year": "pe.year", "month": "pe.month",
            "ytd_value_yuan": "(1000 + o % 97)::bigint * 100000000 * pe.month",
            "yoy_growth": "round((((o * 37 + pe.year * 11 + pe.month * 7 + length(ind)) % 300) - 80) / 10.0, 1)",
            "updated_at": "now()"})
        cur.execute(f"INSERT INTO {table[OfficialStat]} ({cols}) SELECT {exprs} "
                    f"FROM unnest({unit_array} || ARRAY[{city}]::bigint[]) AS o "
                    f"CROSS JOIN unnest(ARRAY['fai','industrial','infrastructure','real_estate']) AS ind "
                    f"CROSS JOIN {table[Period]} pe")
        cur.execute("ANALYZE")
        cur.execute(f"SELECT count(*) FROM {table[ProgressReport]}")
        rows = cur.fetchone()[0]
    log(f"  province data ready: {rows:,} monthly rows in {time.perf_counter() - t0:.0f} s")


def make_city() -> None:
    from django.core.management import call_command
    from django.db import connection

    t0 = time.perf_counter()
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    log(f"  demo loaded in {time.perf_counter() - t0:.0f} s")


def _time_endpoint(client: Any, url: str, runs: int, raw_conn: Any, *, before: Any = None) -> dict[str, Any]:
    """p50/p95 of ``runs`` requests, and of the same SELECT statements replayed on a raw psycopg connection."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        if before:
            before()
        assert client.get(url).status_code == 200
    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured.captured_queries)
    # The request's own reads (not the session's and the user's): the aggregates to compare with.
    statements = [q["sql"] for q in captured.captured_queries
                  if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
                  and "django_session" not in q["sql"] and 'FROM "orgs_user"' not in q["sql"]]
    times, raw = [], []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        start = time.perf_counter()
        with raw_conn.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
                cur.fetchall()
        raw.append((time.perf_counter() - start) * 1000)
    return {"queries": queries, "statements": len(statements), "p50": statistics.median(times),
            "p95": percentile(times, 0.95), "raw_p50": statistics.median(raw), "raw_p95": percentile(raw, 0.95),
            "bytes": len(response.content)}


def measure(runs: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from tuijin.orgs.models import User
    from tuijin.projects.models import ProjectTag
    from tuijin.reporting.models import ProgressReport

    settings.DEBUG = False
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="fgw"))
    period = f"{YEAR}-{MONTH:02d}"
    endpoints = {
        "cockpit page (/)": f"/?period={period}",
        "cockpit data (/cockpit/data.json)": f"/cockpit/data.json?period={period}",
        "ranking (/cockpit/ranking.json)": f"/cockpit/ranking.json?period={period}&indicator=fai",
    }
    import psycopg

    raw_conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)  # Django-free, for the raw SQL
    from django.core.cache import cache

    results: dict[str, Any] = {}
    for label, url in endpoints.items():
        for cold in (False, True):
            if cold and "ranking" in label:
                continue  # the ranking keeps nothing: always computed
            name = f"{label}, {'cold: key-project figures recomputed' if cold else 'warm: figures kept'}" \
                if "ranking" not in label else label
            results[name] = _time_endpoint(client, url, runs, raw_conn, before=cache.clear if cold else None)
    # The framework's floor: the same door refused before it reads anything (log-in, session saved on
    # every request, audit and locale middleware, JSON error) — what any endpoint costs here.
    floor = []
    for _ in range(runs):
        start = time.perf_counter()
        assert client.get(f"/cockpit/ranking.json?period={period}&indicator=none").status_code == 400
        floor.append((time.perf_counter() - start) * 1000)
    results["framework floor (same door, refused before any read)"] = {
        "queries": 0, "statements": 0, "p50": statistics.median(floor), "p95": percentile(floor, 0.95),
        "raw_p50": float("nan"), "raw_p95": float("nan"), "bytes": 0}
    # The heaviest aggregate by hand: key projects' approved year-to-date investment for the month.
    key_ids = ProjectTag.objects.filter(tag__in=("provincial_key", "city_key")).values("project_id")
    orm = ProgressReport.objects.filter(period__year=YEAR, period__month=MONTH, status="approved",
                                        project_id__in=key_ids)
    hand = ("SELECT sum(r.ytd_amount_yuan) FROM reporting_progressreport r JOIN reporting_period p ON p.id = r.period_id "
            "WHERE p.year = %s AND p.month = %s AND r.status = 'approved' AND r.project_id IN "
            "(SELECT project_id FROM projects_projecttag WHERE tag IN ('provincial_key', 'city_key'))")
    orm_t, hand_t = [], []
    from django.db.models import Sum

    for _ in range(runs):
        start = time.perf_counter()
        orm_value = orm.aggregate(s=Sum("ytd_amount_yuan"))["s"]
        orm_t.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(hand, [YEAR, MONTH])
            hand_value = cur.fetchone()[0]
        hand_t.append((time.perf_counter() - start) * 1000)
    assert orm_value == hand_value
    results["key-project ytd aggregate (ORM vs hand-written SQL)"] = {
        "queries": 1, "statements": 1, "p50": statistics.median(orm_t), "p95": percentile(orm_t, 0.95),
        "raw_p50": statistics.median(hand_t), "raw_p95": percentile(hand_t, 0.95), "bytes": 0,
    }
    raw_conn.close()
    # What approving a period costs: the summary refresh of the measured period, all units (the cockpit's
    # cold path reads its rows instead of the monthly rows).
    from tuijin.reporting.models import Period
    from tuijin.reporting.summary import refresh_unit_month_summary

    period_obj = Period.objects.get(year=YEAR, month=MONTH)
    refresh = []
    for _ in range(max(3, runs // 12)):
        start = time.perf_counter()
        refresh_unit_month_summary(period=period_obj)
        refresh.append((time.perf_counter() - start) * 1000)
    results["summary refresh of one period, all units (on approval)"] = {
        "queries": 0, "statements": 0, "p50": statistics.median(refresh), "p95": percentile(refresh, 0.95),
        "raw_p50": float("nan"), "raw_p95": float("nan"), "bytes": 0}
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM reporting_progressreport")
        monthly = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM projects_project")
        projects = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM orgs_org WHERE kind IN ('district', 'zone')")
        units = cur.fetchone()[0]
    return {"results": results, "monthly_rows": monthly, "projects": projects, "units": units, "runs": runs}


def worker(scale: str, runs: int) -> None:
    if scale == "province":
        plans = Path(os.environ["TUIJIN_VAR_DIR"]) / "plans"
        plans.mkdir(exist_ok=True)
        sys.path.insert(0, str(SRC))
        province_plan(plans / "province-2022.yaml")
        os.environ["TUIJIN_PLANS_DIR"] = str(plans)
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tuijin.orgs.models import User

    if User.objects.filter(username="fgw").exists():
        log(f"[{scale}] reusing the kept database")
    else:
        log(f"[{scale}] generating data …")
        make_province() if scale == "province" else make_city()
    log(f"[{scale}] measuring …")
    print(json.dumps({"scale": scale, **measure(runs)}))


# ---------------------------------------------------------------------------


def report(all_results: list[dict[str, Any]]) -> str:
    lines = ["| scale | endpoint | queries | p50 ms | p95 ms | raw SQL p50 ms | raw SQL p95 ms | ratio p50 | ratio p95 |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for entry in all_results:
        scale = (f"{entry['scale']} ({entry['units']} units, {entry['projects']:,} projects, "
                 f"{entry['monthly_rows']:,} monthly rows)")
        for label, r in entry["results"].items():
            if r["raw_p50"] != r["raw_p50"]:  # NaN: no aggregate to compare with
                lines.append(f"| {scale} | {label} | — | {r['p50']:.1f} | {r['p95']:.1f} | — | — | — | — |")
            else:
                lines.append(f"| {scale} | {label} | {r['queries']} | {r['p50']:.1f} | {r['p95']:.1f} | "
                             f"{r['raw_p50']:.1f} | {r['raw_p95']:.1f} | {r['p50'] / r['raw_p50']:.2f}× | "
                             f"{r['p95'] / r['raw_p95']:.2f}× |")
            scale = ""
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["city", "province", "both"], default="both")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--keep-db", default="", help="keep the scratch database under this name (and reuse it "
                                                          "if it exists: the data is made once); one scale only")
    parser.add_argument("--worker", choices=["city", "province"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.runs)
        return
    scales = ["city", "province"] if args.scale == "both" else [args.scale]
    results = []
    for scale in scales:
        started = time.perf_counter()
        results.append(run_scale(scale, args.runs, args.keep_db if len(scales) == 1 else ""))
        log(f"[{scale}] done in {time.perf_counter() - started:.0f} s")
    print(report(results))


if __name__ == "__main__":
    main()
