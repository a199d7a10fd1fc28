from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "fairhearing.suggestions"
    label = "suggestions"
    verbose_name = "Evidence screening suggestions"
