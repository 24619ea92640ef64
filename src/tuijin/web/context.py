"""Navigation by role, for the base layout.

Each app that has pages for a role contributes a ``nav.py`` module with a function
``nav_items(user) -> list[tuple[int, str, str]]`` giving ``(order, label, url)`` for that user;
the base layout shows them sorted by order. Core entries live in :mod:`tuijin.web.nav`.
"""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest
from django.utils.translation import pgettext_lazy

from tuijin.plan import Plan, current_plan, plan_for, plan_years
from tuijin.toolkit import clock
from tuijin.toolkit.discovery import app_modules


@cache
def _providers() -> tuple:
    return tuple(module.nav_items for _app, module in app_modules("nav"))


#: Menu groups of the navigation bar, by the first segment of an entry's path: the entries of a
#: group show as one drop-down; a group with a single entry for the user shows as a plain link.
GROUPS = (
    (pgettext_lazy("menu", "Projects"), ("projects", "programmes", "reits")),
    (pgettext_lazy("menu", "Reporting and statistics"), ("reporting", "stats")),
    (pgettext_lazy("menu", "Assessment"), ("assessment", "bulletins")),
    (pgettext_lazy("menu", "Funds and promotion"), ("incentives", "bonds", "promotion")),
    (pgettext_lazy("menu", "Service and supervision"), ("problems", "supervision")),
    (pgettext_lazy("menu", "Administration"), ("audit", "orgs", "plan", "api")),
)


def _group_of(url: str) -> str | None:
    segment = url.strip("/").split("/", 1)[0]
    for label, segments in GROUPS:
        if segment in segments:
            return str(label)
    return None


def viewed_year(request: HttpRequest) -> int | None:
    """The year a page is about, from its ``?year=``, ``?period=YYYY-MM`` or ``?quarter=YYYY-Qn``; None
    when it names none."""
    params = getattr(request, "GET", {})
    for name in ("year", "period", "quarter"):
        text = str(params.get(name) or "")[:4]
        if len(text) == 4 and text.isdigit():
            return int(text)
    return None


def viewed_plan(request: HttpRequest) -> Plan:
    """The plan of the year being viewed when it has one, else the clock's (:func:`tuijin.plan.current_plan`)."""
    year = viewed_year(request)
    if year is not None and year in plan_years():
        return plan_for(year)
    return current_plan()


def navigation(request: HttpRequest) -> dict:
    """``nav_items``: the flat list (label, url, active); ``nav_menu``: the same grouped for the bar —
    entries ``{"label", "url", "active", "children": [(label, url, active)]}`` in order. ``plan_title``
    (the footer) names the plan of the year being viewed, else the clock's year's."""
    plan = viewed_plan(request)
    plan_title = f"{plan.meta.city} · {plan.meta.title}（{plan.meta.document_number}）"
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"plan_title": plan_title, "nav_items": [], "nav_menu": []}
    items = sorted((item for provider in _providers() for item in provider(user)), key=lambda item: item[0])
    current = request.path
    nav_items = [(label, url, current.startswith(url) and (url != "/" or current == "/")) for _order, label, url in items]
    menu: list[dict] = []
    groups: dict[str, dict] = {}
    for label, url, active in nav_items:
        group = _group_of(url)
        if group is None:
            menu.append({"label": label, "url": url, "active": active, "children": []})
            continue
        if group not in groups:
            groups[group] = {"label": group, "url": "", "active": False, "children": []}
            menu.append(groups[group])
        groups[group]["children"].append((label, url, active))
        groups[group]["active"] |= active
    for entry in menu:
        if len(entry["children"]) == 1:
            entry["label"], entry["url"], entry["active"] = entry["children"][0]
            entry["children"] = []
    return {"plan_title": plan_title, "nav_items": nav_items, "nav_menu": menu}


def business_clock(request: HttpRequest) -> dict:
    """``business_clock``: the clock's setting when the platform runs at a business date (the banner), else None."""
    state = clock.state()
    if not state.is_set:
        return {"business_clock": None}
    day = state.day
    who = ""
    if state.set_by and not state.demo:  # a person's name, not the account (set in production: rare, one query)
        from tuijin.orgs.models import User

        who = User.objects.filter(username=state.set_by).values_list("full_name", flat=True).first() or state.set_by
    return {"business_clock": {"day": day, "label": f"{day.year}年{day.month}月{day.day}日", "demo": state.demo,
                               "set_by": who, "real": clock.real_today()}}
