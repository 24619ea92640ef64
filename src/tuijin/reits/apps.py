from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReitsConfig(AppConfig):
    name = "tuijin.reits"
    label = "reits"
    verbose_name = _("Infrastructure REITs")
