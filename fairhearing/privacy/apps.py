from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "fairhearing.privacy"
    label = "privacy"
