"""Keeping computed cockpit figures in Django's cache, renewed by any audited write."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from tuijin.plan import plan_for_period

#: How long computed key-project figures are kept at most (seconds); any audited write renews them sooner.
KEY_FIGURES_SECONDS = 600


def kept(name: str, *, year: int, month: int, version: int, compute: Any) -> Any:
    """``compute()``, kept in Django's cache under the hash of the period's plan, the period, ``name`` and the data
    version (``cockpit.selectors`` passes the newest audit entry's id): recomputed after any audited write, read from memory otherwise."""
    key = f"cockpit:{name}:{plan_for_period(f'{year}-{month:02d}').hash[:16]}:{year}-{month:02d}:{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, KEY_FIGURES_SECONDS)
    return value
