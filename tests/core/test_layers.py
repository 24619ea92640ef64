"""The import contracts of ``pyproject.toml`` (DESIGN §9) hold, so a plain pytest run catches a violation
too, not only ``make test``'s ``lint-imports``."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"


def test_the_layers_the_domain_apps_and_the_toolkit_have_their_contracts():
    contracts = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
    assert {c["id"]: c["type"] for c in contracts} == {
        "layers": "layers", "domain-apps": "independence", "acyclic": "acyclic_siblings", "toolkit": "forbidden",
        "audit-users": "forbidden", "page-shell": "forbidden"}
    layers = next(c for c in contracts if c["id"] == "layers")
    assert layers["exhaustive"] and layers["layers"][-1] == "toolkit"


def test_every_import_contract_is_kept():
    """``lint-imports`` on the package the tests import (the same ``sys.path``)."""
    run = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
         "--config", str(PYPROJECT), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout
