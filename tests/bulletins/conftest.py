import pytest
from django.core.cache import cache

from plan_years import two_year_plans  # noqa: F401  (the shared two-year plans directory)
from web.figures import load


@pytest.fixture
def figures(orgs, make_project):
    return load(orgs, make_project)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    """The cockpit keeps key-project figures in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()
