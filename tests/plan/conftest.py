import pytest

from tuijin.plan import reset_plans


@pytest.fixture
def fresh_plan_cache():
    """Forget the cached active plan before and after the test."""
    reset_plans()
    yield
    reset_plans()
