"""Find a named module in every tuijin app: how apps plug into shared places (navigation, bulletin sections,
supervision sources) without those places naming them. (Demo steps are not discovered: they live under
``tuijin/demo/steps/``, imported by name.)"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[tuple[str, ModuleType]]:
    """``(app name, module)`` for every installed ``tuijin.*`` app that has a module ``name``, in
    INSTALLED_APPS order. An import error inside such a module is raised, not hidden."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tuijin."):
            continue
        dotted = f"{config.name}.{name}"
        try:
            found.append((config.name, import_module(dotted)))
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
    return found
