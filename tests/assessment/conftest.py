from plan_years import two_year_plans  # noqa: F401  (the shared two-year plans directory)
