from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fairhearing.api"
    label = "api"

    def ready(self) -> None:
        from fairhearing.api.ratelimit import counters_prune
        from fairhearing.workflow import tick_hooks

        tick_hooks.register("api_rate_counters", counters_prune)
