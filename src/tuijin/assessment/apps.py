from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "tuijin.assessment"
    label = "assessment"
    verbose_name = _("Monitoring and assessment")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
