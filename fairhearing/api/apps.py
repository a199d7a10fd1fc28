from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fairhearing.api"
    label = "api"
