from tests.problems.conftest import dept_user, raise_problem  # noqa: F401  (shared fixtures)
