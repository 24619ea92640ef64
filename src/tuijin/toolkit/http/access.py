"""How a view declares its access policy (the rules themselves are :mod:`tuijin.orgs.policy`).

A function view is decorated ``@requires("read_business_data")`` (the names of the policy's
predicates it asks), ``@requires(SIGNED_IN)`` (any signed-in principal: the view narrows through the
scoped selectors), or ``@public`` (no sign-in: the login page, the health check). Class-based and DRF
views set the class attribute ``access_policy`` to the same values. The decorators only declare —
the view still asks the policy (``policy.require`` …) with its own message and status — and
``tests/security/test_view_declarations.py`` fails on any routed view without a declaration.

It lives in the toolkit, not in orgs, so that every app (audit included, which may not import orgs)
can declare its views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

ACCESS_ATTRIBUTE = "access_policy"
#: Reachable without signing in.
PUBLIC = "public"
#: Any signed-in principal; the view's selectors and services narrow what it sees and does.
SIGNED_IN = "signed_in"

View = TypeVar("View", bound=Callable[..., Any])


def requires(*names: str) -> Callable[[View], View]:
    """Declare the policy predicates (or :data:`SIGNED_IN`) a function view asks."""
    if not names:
        raise ValueError("requires() needs at least one predicate name")

    def declare(view: View) -> View:
        setattr(view, ACCESS_ATTRIBUTE, tuple(names))
        return view
    return declare


def signed_in(view: View) -> View:
    """Declare a function view open to any signed-in principal (it narrows through scoped selectors)."""
    setattr(view, ACCESS_ATTRIBUTE, (SIGNED_IN,))
    return view


def public(view: View) -> View:
    """Declare a function view reachable without signing in."""
    setattr(view, ACCESS_ATTRIBUTE, (PUBLIC,))
    return view


def declared_policy(view: Any) -> tuple[str, ...] | None:
    """The declaration of a resolved view (a function, ``view_class`` or DRF ``cls``), or None."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        if candidate is None:
            continue
        declared = getattr(candidate, ACCESS_ATTRIBUTE, None)
        if declared is None:
            wrapped = getattr(candidate, "__wrapped__", None)
            while declared is None and wrapped is not None:
                declared = getattr(wrapped, ACCESS_ATTRIBUTE, None)
                wrapped = getattr(wrapped, "__wrapped__", None)
        if declared is not None:
            return (declared,) if isinstance(declared, str) else tuple(declared)
    return None
