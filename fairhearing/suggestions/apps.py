from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "fairhearing.suggestions"
    label = "suggestions"
    verbose_name = "Evidence screening suggestions"

    def ready(self) -> None:
        from fairhearing.suggestions.tasks import screen_new
        from fairhearing.workflow import tick_hooks

        tick_hooks.register("suggestions.screen_new", screen_new)
