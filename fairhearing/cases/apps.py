from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fairhearing.cases"
    label = "cases"
    verbose_name = "Cases"
