"""`tuijin serve`: run the application under gunicorn (production-style), from the same virtualenv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "用 gunicorn 启动网站服务"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--no-jobs", action="store_true", help="不启动后台任务进程（huey）")
        parser.add_argument("--check-only", action="store_true", help="只打印将执行的命令")

    def handle(self, *args, **options) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        binary = str(gunicorn) if gunicorn.exists() else shutil.which("gunicorn")
        if not binary:
            raise CommandError("找不到 gunicorn，请先运行 make install")
        argv = [binary, "tuijin.wsgi:application", "--bind", f"{options['host']}:{options['port']}",
                "--workers", str(options["workers"]), "--access-logfile", "-", "--timeout", "120"]
        self.stdout.write(f"tuijin: http://{options['host']}:{options['port']}/")
        if options["check_only"]:
            self.stdout.write(" ".join(argv))
            return
        sys.stdout.flush()
        if not options["no_jobs"]:
            # The background-job consumer runs beside the web server, in the same process group,
            # so Ctrl-C stops both.
            subprocess.Popen([sys.executable, "-m", "tuijin.cli", "run_huey", "--quiet"])
        os.execv(binary, argv)
