from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "fairhearing.decisions"
    label = "decisions"
