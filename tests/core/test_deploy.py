"""Production settings pass `check --deploy`; the `tuijin` script maps hyphenated commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUIJIN = str(Path(sys.executable).with_name("tuijin"))


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    unwanted = ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environ = {k: v for k, v in os.environ.items() if k not in unwanted}
    environ.update({"TUIJIN_VAR_DIR": str(tmp_path), **env})
    return subprocess.run([TUIJIN, *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_production_settings_pass_check_deploy(tmp_path):
    result = run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, DEBUG="false",
                 SECRET_KEY="k3Y-" + "x7Q9z" * 12, ALLOWED_HOSTS="tuijin.example.gov.cn")
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize("secret", ["", "short"])
def test_production_refuses_a_missing_or_weak_secret_key(tmp_path, secret):
    result = run(["check"], tmp_path, DEBUG="false", SECRET_KEY=secret)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_a_bad_boolean_in_the_environment_fails_loudly(tmp_path):
    result = run(["check"], tmp_path, DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG" in result.stderr


def test_the_console_script_maps_hyphenated_commands(tmp_path):
    ok = run(["plan-check", "plans/zhengzhou-2022.yaml"], tmp_path)
    assert ok.returncode == 0 and "郑州" in ok.stdout
    served = run(["serve", "--check-only", "--port", "8123"], tmp_path)
    assert served.returncode == 0 and "127.0.0.1:8123" in served.stdout and "gunicorn" in served.stdout
