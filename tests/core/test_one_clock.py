"""One clock (DESIGN §9): no module but the clock reads the machine's date or time directly.

Business logic asks ``tuijin.toolkit.clock.today()/now()``; audit timestamps, sessions, tokens and
timings ask ``clock.real_now()``. ``timezone.localdate(value)`` / ``localtime(value)`` with an argument
convert a given moment and are fine; without one they read the machine's clock.
"""

from __future__ import annotations

import ast
import pathlib

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "tuijin"
CLOCK = SRC / "toolkit" / "clock.py"
#: (object, attribute) pairs that read the machine's clock when called without arguments.
READS_THE_MACHINE = {("date", "today"), ("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"),
                     ("timezone", "now"), ("timezone", "localdate"), ("timezone", "localtime"), ("time", "localtime")}


def machine_clock_calls(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if (name, node.func.attr) in READS_THE_MACHINE and not node.args and not node.keywords:
            found.append((node.lineno, f"{name}.{node.func.attr}()"))
    return found


def test_no_module_but_the_clock_reads_the_machine_date():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path == CLOCK or "migrations" in path.parts:
            continue
        for line, call in machine_clock_calls(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(SRC)}:{line}: {call}")
    assert offenders == []


def test_the_check_finds_what_it_looks_for():
    sample = "import datetime as dt\nfrom django.utils import timezone\n" \
             "a = dt.date.today()\nb = timezone.now()\nc = timezone.localdate(b)\nd = dt.datetime.now()\n"
    assert [call for _line, call in machine_clock_calls(ast.parse(sample))] == [
        "date.today()", "timezone.now()", "datetime.now()"]
