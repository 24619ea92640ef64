"""The month-end load test (issue 9): set up, run locust against gunicorn + PostgreSQL, check, report.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/run_load.py [--users 100] [--seconds 60] [--port 8090] [--workers 3]

Loopback only, bounded in time and count. A scratch PostgreSQL database (``tuijin_load`` by default,
``--database``) is created, migrated and loaded with the demo (``--projects``), and ``--users``
reporting-unit accounts ``load-<unit>-<n>`` are made for the units whose open period is still a
draft. gunicorn serves it; locust runs ``bench/locustfile.py`` headless; afterwards every
acknowledged save must be in the database (no lost update). Prints the figures as Markdown.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "Load@Test2022!"


def sh(args: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kw)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--no-reset-stats", action="store_true",
                        help="keep the ramp-up (every user's log-in) in the figures")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--database", default="tuijin_load")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--period", default="2022-07")
    args = parser.parse_args()

    var = ROOT / "var" / "load"
    var.mkdir(parents=True, exist_ok=True)
    url = f"{args.pg}/{args.database}"
    env = {**os.environ, "DATABASE_URL": url, "TUIJIN_VAR_DIR": str(var), "DEBUG": "true",
           "TUIJIN_ADMIN_TOTP_REQUIRED": "false", "DB_CONN_MAX_AGE": "60", "LOG_LEVEL": "ERROR",
           "DJANGO_SETTINGS_MODULE": "tuijin.settings"}
    host = args.pg.split("@")[-1].split(":")[0]
    subprocess.run(["dropdb", "-h", host, "-U", "postgres", "--if-exists", args.database], check=True)
    subprocess.run(["createdb", "-h", host, "-U", "postgres", args.database], check=True)
    started = time.time()
    sh([str(BIN / "tuijin"), "migrate", "--noinput", "-v", "0"], env)
    sh([str(BIN / "tuijin"), "demo", "--projects", str(args.projects)], env, stdout=subprocess.DEVNULL)
    print(f"set-up (migrate + demo {args.projects} projects): {time.time() - started:.0f} s", file=sys.stderr)

    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from tuijin.audit.context import audit_context
    from tuijin.orgs.models import User
    from tuijin.reporting.models import ProgressReport, UnitPeriod

    drafts = list(UnitPeriod.objects.filter(period__code=args.period, status="draft")
                  .values_list("unit__code", flat=True))
    drafts = [u for u in drafts if ProgressReport.objects.filter(period__code=args.period, unit__code=u).exists()]
    usernames = []
    with audit_context(source="system", reason="load test set-up"):
        template = User(username="x")
        template.set_password(PASSWORD)
        for i in range(args.users):
            unit = drafts[i % len(drafts)]
            name = f"load-{unit}-{i}"
            user = User(username=name, org_id=User.objects.filter(org__code=unit).values_list("org_id", flat=True)
                        .first(), roles=["unit"], password=template.password,
                        password_changed_at=template.password_changed_at)
            user.save()
            usernames.append(name)
    print(f"{len(usernames)} users over {len(drafts)} units with a draft {args.period}", file=sys.stderr)

    acks = var / "acks.jsonl"
    gunicorn = subprocess.Popen([str(BIN / "gunicorn"), "tuijin.wsgi", "--bind", f"127.0.0.1:{args.port}",
                                 "--workers", str(args.workers), "--threads", str(args.threads),
                                 "--worker-class", "gthread", "--log-level", "warning",
                                 "--keep-alive", "30", "--timeout", "120"],
                                cwd=ROOT, env=env, start_new_session=True)
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        load_env = {**env, "TUIJIN_LOAD_USERS": ",".join(usernames), "TUIJIN_LOAD_PASSWORD": PASSWORD,
                    "TUIJIN_LOAD_PERIOD": args.period, "TUIJIN_LOAD_ACKS": str(acks)}
        subprocess.run([str(BIN / "locust"), "-f", "bench/locustfile.py", "--headless", "-u", str(args.users),
                        "-r", str(args.spawn_rate), "-t", f"{args.seconds}s", "--host",
                        f"http://127.0.0.1:{args.port}", "--csv", str(var / "locust"), "--only-summary",
                        "--stop-timeout", "10", *([] if args.no_reset_stats else ["--reset-stats"])],
                       cwd=ROOT, env=load_env, check=False)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)

    # --- every acknowledged save is in the database ---------------------------------------------
    by_row: dict[int, list[dict]] = defaultdict(list)
    for line in acks.read_text().splitlines():
        ack = json.loads(line)
        by_row[ack["id"]].append(ack)
    stored = {r["id"]: r for r in ProgressReport.objects.filter(id__in=list(by_row)).values("id", "version", "notes")}
    lost = 0
    for row_id, row_acks in by_row.items():
        versions = [a["version"] for a in row_acks]
        lost += len(versions) - len(set(versions))  # two saves acknowledged with the same version
        last = max(row_acks, key=lambda a: a["version"])
        db = stored.get(row_id)
        if db is None or db["version"] != last["version"] or db["notes"] != last["notes"]:
            lost += 1
    acknowledged = sum(len(v) for v in by_row.values())

    rows = list(csv.DictReader(open(var / "locust_stats.csv", encoding="utf-8")))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print("\n| endpoint | requests | failures | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['Type']} {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} "
              f"| {r['99%']} |")
    print(f"\nrequests/s {float(total['Requests/s']):.1f}; p50 {total['50%']} ms, p95 {total['95%']} ms, "
          f"p99 {total['99%']} ms; errors {total['Failure Count']}; acknowledged saves {acknowledged} "
          f"on {len(by_row)} rows; lost updates {lost}")
    return 1 if lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
