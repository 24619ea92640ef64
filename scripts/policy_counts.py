"""Counts for the closing note of the access-policy and audit issue (issue 14).

    python scripts/policy_counts.py [--json] [--list]

- access checks outside the policy: role tests (``has_role(``, ``Role.X`` compared with a user's roles,
  ``is_city_wide`` …) in modules other than ``orgs/policy.py``, ``orgs/roles.py`` and ``orgs/models.py``
  (where the roles and the user's own properties are defined), the demo (which creates users) and
  account administration's grant rules;
- public selectors without a principal: functions in ``selectors`` modules whose name does not start
  with ``_`` and that take no ``user``/``principal`` parameter;
- ``record(`` calls in services (entries written by hand; events that are not row changes —
  exports, log-ins, refusals — are counted apart);
- hand-recorded audited models (``HAND_RECORDED``, gone once every model records itself).
"""

from __future__ import annotations

import ast
import json
import pathlib
import re
import sys

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "tuijin"
POLICY_HOME = {"orgs/policy.py", "orgs/roles.py", "orgs/models.py"}
ROLE_TEST = re.compile(r"\.has_role\(|\bin\s+\w+\.roles\b|\.roles\s*(==|!=)|\bis_city_wide\b|\bis_administrator\b"
                       r"|\bsees_city_wide\b|\.reporting_unit\s+is\s+(not\s+)?None|reporting_unit\.(pk|code)\s*[!=]=")
PRINCIPAL_NAMES = {"user", "principal", "actor", "viewer"}
EVENT_ACTIONS = {"export", "denied", "otp", "password_reset", "password_change", "login", "logout", "import"}


def _python_files():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, str(path.relative_to(SRC))


def role_tests() -> list[str]:
    found = []
    for path, rel in _python_files():
        if rel in POLICY_HOME or rel.startswith("demo/"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ROLE_TEST.search(line) and not line.lstrip().startswith("#"):
                found.append(f"{rel}:{number}: {line.strip()}")
    return found


def selectors_without_principal() -> list[str]:
    found = []
    for path, rel in _python_files():
        if "selectors" not in path.name and path.parent.name != "selectors":
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                if not PRINCIPAL_NAMES & {a.arg for a in args}:
                    found.append(f"{rel}:{node.name}")
    return found


def record_calls() -> tuple[list[str], list[str]]:
    changes, events = [], []
    for path, rel in _python_files():
        if rel.startswith("audit/"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name != "record":
                continue
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            value = action.value if isinstance(action, ast.Constant) else None
            (events if value in EVENT_ACTIONS else changes).append(f"{rel}:{node.lineno}: {value or '?'}")
    return changes, events


def hand_recorded() -> list[str]:
    text = (SRC / "audit" / "recording.py").read_text()
    block = re.search(r"HAND_RECORDED[^=]*=\s*(\{[^}]*\}|set\(\))", text, re.S)
    return sorted(re.findall(r'"([a-z_]+\.[a-z_]+)"', block.group(1))) if block else []


def main() -> None:
    changes, events = record_calls()
    body = {
        "role_tests_outside_policy": role_tests(),
        "public_selectors_without_principal": selectors_without_principal(),
        "record_calls_for_changes": changes,
        "record_calls_for_events": events,
        "hand_recorded_models": hand_recorded(),
    }
    if "--json" in sys.argv:
        print(json.dumps({k: len(v) for k, v in body.items()} | ({"lists": body} if "--list" in sys.argv else {}),
                         ensure_ascii=False, indent=2))
        return
    for key, items in body.items():
        print(f"{key}: {len(items)}")
        if "--list" in sys.argv:
            for item in items:
                print(f"    {item}")


if __name__ == "__main__":
    main()
