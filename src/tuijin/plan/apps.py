from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "tuijin.plan"
    label = "plan"
    verbose_name = _("Plan")

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_plan_file

        # Untagged-by-deploy checks run on runserver, migrate and check: a bad
        # plan file stops start-up. `check --tag tuijin` runs it alone.
        checks.register(check_plan_file, "tuijin")
