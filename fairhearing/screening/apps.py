"""Django registration of the screening app (the engine itself does not use Django)."""

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    """Screening: evidence suggestions for caseworkers, and its management commands."""

    name = "fairhearing.screening"
    label = "screening"
    verbose_name = "Evidence screening"
