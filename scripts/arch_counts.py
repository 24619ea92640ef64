"""Architecture counts for the closing notes (issue 13/14): the app import graph and its cycles,
imports between apps hidden inside functions, and copies of shared helpers.

    python scripts/arch_counts.py [--json]
"""

from __future__ import annotations

import ast
import json
import pathlib
import re
import sys
from collections import defaultdict

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "tuijin"
TOP = "tuijin"


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != TOP or len(parts) < 2:
        return None
    return parts[1]


def module_name(path: pathlib.Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(node: ast.ImportFrom, here: str, is_pkg: bool) -> list[str]:
    if node.level:
        base = here.split(".")
        if not is_pkg:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        mod = ".".join(base + ([node.module] if node.module else []))
    else:
        mod = node.module or ""
    return [mod] + [f"{mod}.{a.name}" for a in node.names]


def graph():
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    inner: list[str] = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        here = module_name(path)
        src_app = app_of(here) or ""
        if src_app.endswith(".py") or "." not in here:
            pass
        tree = ast.parse(path.read_text())
        funcs = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Import | ast.ImportFrom):
                        funcs.add(id(sub))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = resolve(node, here, path.name == "__init__.py")[:1]
            else:
                continue
            for t in targets:
                dst = app_of(t)
                if dst and src_app and dst != src_app and (SRC / dst).is_dir() and (SRC / src_app).is_dir():
                    edges[(src_app, dst)].append(here)
                    if id(node) in funcs:
                        inner.append(f"{here} -> {t}")
    return edges, inner


def cycles(edges) -> list[list[str]]:
    adj = defaultdict(set)
    for a, b in edges:
        adj[a].add(b)
    # strongly connected components (Tarjan)
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in adj[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in list(adj):
        if v not in index:
            strong(v)
    return out


HELPERS = {
    "month_end": r"^def _?month_end\b",
    "parse_period": r"^def _?parse_period\b",
    "time_progress": r"^def _?time_progress\b",
    "date parsers": r"^def _?(parse_date|_date|as_date|parse_day|_parse_date|date_from)\b",
    "money parsers": r"^def _?(parse_money|parse_wan|_wan_to_yuan|money_yuan|_money|parse_amount)\b",
    "upload plumbing": r"^def _?(save_upload|store_upload|upload_save|_save_upload|_store_upload)\b",
}


def helper_copies() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {k: [] for k in HELPERS}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for line in path.read_text().splitlines():
            for key, pattern in HELPERS.items():
                if re.match(pattern, line.strip()):
                    found[key].append(str(path.relative_to(SRC)))
    return found


def main() -> None:
    edges, inner = graph()
    cyc = cycles(edges)
    body = {"app_edges": len(edges), "cycles": cyc, "cycle_count": len(cyc),
            "function_level_imports_between_apps": len(inner),
            "helper_copies": {k: len(v) for k, v in helper_copies().items()},
            "helper_files": helper_copies()}
    if "--json" in sys.argv:
        print(json.dumps(body, ensure_ascii=False, indent=2))
        return
    print(f"app edges: {body['app_edges']}; strongly connected groups: {len(cyc)}")
    for c in cyc:
        print("  cycle:", " ↔ ".join(c))
    print(f"function-level imports between apps: {len(inner)}")
    for k, v in body["helper_copies"].items():
        print(f"  {k}: {v}  {body['helper_files'][k]}")


if __name__ == "__main__":
    main()
