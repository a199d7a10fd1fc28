from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fairhearing.reports"
    label = "reports"
