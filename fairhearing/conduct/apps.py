from django.apps import AppConfig


class ConductConfig(AppConfig):
    name = "fairhearing.conduct"
    label = "conduct"
    verbose_name = "Codes of conduct"
