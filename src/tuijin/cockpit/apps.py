from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    """The cockpit (驾驶舱) and the project-library overview: the top of the business apps, reading
    projects, reporting, statistics and assessment through their selectors; nothing below imports it."""

    name = "tuijin.cockpit"
    label = "cockpit"
    verbose_name = _("Cockpit")
