"""Loading the demo once per module: the data outlives single tests, so the module empties the
database itself when it is done (``flush`` also clears the append-only audit log)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker) -> Iterator[Callable[..., str]]:
    """Database access for the whole module; ``run_demo`` runs the command; empties the database after."""
    with django_db_blocker.unblock():
        try:
            yield run_demo
        finally:
            call_command("flush", "--noinput", verbosity=0)


from plan_years import two_year_plans  # noqa: E402, F401  (the shared two-year plans directory)
