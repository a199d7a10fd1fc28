from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "fairhearing.screening"
    label = "screening"
