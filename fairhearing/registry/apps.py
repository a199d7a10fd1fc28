from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "fairhearing.registry"
    label = "registry"
