from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "tuijin.programmes"
    label = "programmes"
    verbose_name = "Programmes"
