from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitConfig(AppConfig):
    """The toolkit is an app only for its one table, the clock's business date."""

    name = "tuijin.toolkit"
    label = "toolkit"
    verbose_name = _("Toolkit")
    default_auto_field = "django.db.models.BigAutoField"
