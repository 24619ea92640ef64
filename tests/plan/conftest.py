import pytest

from tuijin.plan import reset_active_plan


@pytest.fixture
def fresh_plan_cache():
    """Forget the cached active plan before and after the test."""
    reset_active_plan()
    yield
    reset_active_plan()
