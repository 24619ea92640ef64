from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BondsConfig(AppConfig):
    name = "tuijin.bonds"
    label = "bonds"
    verbose_name = _("Special bonds")
