"""The steps of the demo, in order: the framework here, one module per app beside it.

A step has a pure ``generate`` (reads the plan facts and earlier steps' data, draws
from its own random stream, touches no database) and a ``load`` that writes what
``generate`` returned, in bulk. ``reset`` deletes the step's rows before a reload
(steps reset in reverse order, so dependants go first).

Every step lives in this package, one module per app (``core`` for organisations,
users and projects; ``reporting``, ``stats``, ``bonds`` …), and :func:`demo_steps`
imports them by name: the demo sits above every app and may import them all, while
no app knows the demo (DESIGN §9). A new step is a new module here, added to
:func:`step_modules`::

    # src/tuijin/demo/steps/reporting.py
    from tuijin.demo.steps import DemoStep, register_step

    def generate(ctx):                      # GenerationContext → anything
        rng = ctx.rng("progress")
        projects = ctx.data["projects"]     # tuple[ProjectSpec, ...]
        ...

    def load(ctx, reports):                 # LoadContext, what generate returned
        ids = ctx.project_ids               # ProjectSpec.ref → Project.pk
        ...
        ctx.count("progress_reports", len(rows), "月度进展")  # in the summary and the batch audit entry
        ctx.audit_batch(...)                # optional: extra audit entries

    register_step(DemoStep(name="progress", label="月度投资进展（2021-01—2022-07）", order=100,
                           generate=generate, load=load, reset=reset))

Orders used: 0 orgs, 10 users, 20 projects; later modules use 100 and up.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from tuijin.demo.generate import DEMO_PROJECTS, DEMO_SEED, PlanFacts, rng_for


@dataclass
class GenerationContext:
    """What a step's ``generate`` sees: the plan, the seed, the size and earlier steps' data."""

    facts: PlanFacts
    seed: int = DEMO_SEED
    projects: int = DEMO_PROJECTS
    data: dict[str, Any] = field(default_factory=dict)

    def rng(self, aspect: str) -> random.Random:
        """An independent random stream, reproducible from the seed and ``aspect``."""
        return rng_for(self.seed, aspect)


@dataclass
class LoadContext:
    """What a step's ``load`` and ``reset`` see, and what they leave for later steps."""

    facts: PlanFacts
    data: dict[str, Any]
    orgs: dict[str, Any] = field(default_factory=dict)  # code → Org
    users: dict[str, Any] = field(default_factory=dict)  # username → User
    project_ids: dict[int, int] = field(default_factory=dict)  # ProjectSpec.ref → Project.pk
    counts: dict[str, int] = field(default_factory=dict)  # key → rows written
    deleted: dict[str, int] = field(default_factory=dict)  # key → rows deleted by reset
    labels: dict[str, str] = field(default_factory=dict)  # key → Chinese label for the summary
    audit_entries: list[Any] = field(default_factory=list)
    kept_users: list[str] = field(default_factory=list)  # users a reset could not delete
    log: Callable[[str], None] = print

    def count(self, key: str, n: int, label: str = "") -> None:
        """Record ``n`` rows written (``key`` goes into the batch audit entry, ``label`` into the summary)."""
        self.counts[key] = self.counts.get(key, 0) + n
        if label:
            self.labels[key] = label

    def count_deleted(self, key: str, n: int, label: str = "") -> None:
        self.deleted[key] = self.deleted.get(key, 0) + n
        if label:
            self.labels[key] = label

    def audit_batch(self, entries: list[Any]) -> None:
        """Queue audit entries (built with ``tuijin.audit.services.build_entry``); written in bulk at the end."""
        self.audit_entries.extend(entries)


@dataclass(frozen=True)
class DemoStep:
    name: str
    label: str  # Chinese, shown in the progress lines
    order: int
    generate: Callable[[GenerationContext], Any] | None = None
    load: Callable[[LoadContext, Any], None] | None = None
    reset: Callable[[LoadContext], None] | None = None


_registry: dict[str, DemoStep] = {}
_imported = False


def register_step(step: DemoStep) -> DemoStep:
    """Add (or replace, by name) a demo step."""
    _registry[step.name] = step
    return step


def step_modules() -> tuple[ModuleType, ...]:
    """The modules of this package that register steps (imported late: they import the apps' models,
    which need the app registry). Their order does not matter: steps run by their ``order``."""
    from . import bonds, core, incentives, problems, programmes, promotion, reits, reporting, stats

    return (core, reporting, stats, programmes, bonds, promotion, reits, incentives, problems)


def demo_steps() -> list[DemoStep]:
    """All steps in order, after importing :func:`step_modules`."""
    global _imported
    if not _imported:
        step_modules()
        _imported = True
    return sorted(_registry.values(), key=lambda s: (s.order, s.name))


def generate_all(facts: PlanFacts, *, seed: int = DEMO_SEED, projects: int = DEMO_PROJECTS,
                 steps: list[DemoStep] | None = None) -> dict[str, Any]:
    """Run every step's pure ``generate`` in order; step name → its data."""
    ctx = GenerationContext(facts=facts, seed=seed, projects=projects)
    for step in steps if steps is not None else demo_steps():
        if step.generate is not None:
            ctx.data[step.name] = step.generate(ctx)
    return ctx.data
