"""Navigation by role, for the base layout.

Each app that has pages for a role contributes a ``nav.py`` module with a function
``nav_items(user) -> list[tuple[int, str, str]]`` giving ``(order, label, url)`` for that user;
the base layout shows them sorted by order. Core entries live in :mod:`tuijin.web.nav`.
"""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest

from tuijin.discovery import app_modules
from tuijin.plan import active_plan


@cache
def _providers() -> tuple:
    return tuple(module.nav_items for _app, module in app_modules("nav"))


def navigation(request: HttpRequest) -> dict:
    plan = active_plan()
    plan_title = f"{plan.meta.city} · {plan.meta.title}（{plan.meta.document_number}）"
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"plan_title": plan_title, "nav_items": []}
    items = sorted((item for provider in _providers() for item in provider(user)), key=lambda item: item[0])
    current = request.path
    nav_items = [(label, url, current.startswith(url) and (url != "/" or current == "/")) for _order, label, url in items]
    return {"plan_title": plan_title, "nav_items": nav_items}
