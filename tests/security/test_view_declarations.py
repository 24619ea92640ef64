"""Every routed view declares its access policy, or stands on the explicit public list (DESIGN §9).

The walk covers the whole URL conf: nested includes, DRF routers (``cls`` of a viewset),
class-based views (``view_class``) and function views. A view declares with
``@policy.requires(...)`` / ``@policy.public`` or a class attribute ``access_policy``; each name it
declares must be a predicate of :mod:`tuijin.orgs.policy` (or ``signed_in`` / ``public``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tuijin.orgs import policy
from tuijin.toolkit.http.access import declared_policy

#: Views that are neither declared in this code base nor ours to decorate: Django's own, with the reason.
PUBLIC = {
    "django.contrib.auth.views.LoginView": "the sign-in page: reachable signed out",
    "django.contrib.auth.views.LogoutView": "signing out: harmless signed out",
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _name(view: Any) -> str:
    target = getattr(view, "cls", None) or getattr(view, "view_class", None) or view
    return f"{target.__module__}.{target.__qualname__}"


def routed_views() -> list[tuple[str, Any]]:
    return list(_walk(get_resolver().url_patterns))


def undeclared(views: list[tuple[str, Any]]) -> list[str]:
    return sorted({f"{route} → {_name(view)}" for route, view in views
                   if declared_policy(view) is None and _name(view) not in PUBLIC})


def test_the_walk_finds_the_routes_of_every_kind():
    views = routed_views()
    assert len(views) > 150
    assert any(getattr(v, "cls", None) for _, v in views), "DRF router routes are walked"
    assert any(getattr(v, "view_class", None) for _, v in views), "class-based views are walked"
    assert any("api/v1/" in route for route, _ in views), "nested includes are walked"


def test_every_view_declares_its_policy_or_is_public():
    missing = undeclared(routed_views())
    assert not missing, "views without an access_policy declaration:\n" + "\n".join(missing)


def test_every_declared_name_is_a_predicate_of_the_policy():
    known = set(policy.PREDICATES) | {policy.PUBLIC, policy.SIGNED_IN}
    unknown = sorted({f"{_name(v)}: {name}" for _, v in routed_views() for name in (declared_policy(v) or ())
                      if name not in known})
    assert not unknown, unknown


def test_a_view_without_a_declaration_fails_the_walk():
    def bare_view(request):  # noqa: ANN001, ANN202
        return None

    declared = policy.requires("read_business_data")(lambda request: None)
    assert undeclared([("bare/", bare_view), ("declared/", declared)]) == [
        f"bare/ → {__name__}.test_a_view_without_a_declaration_fails_the_walk.<locals>.bare_view"]


def test_removing_one_declaration_fails_the_walk(monkeypatch):
    from tuijin.projects import views as project_views

    monkeypatch.delattr(project_views.project_list, policy.ACCESS_ATTRIBUTE)
    missing = undeclared(routed_views())
    assert any(line.endswith("tuijin.projects.views.project_list") for line in missing), missing
