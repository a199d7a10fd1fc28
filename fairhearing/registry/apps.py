from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "fairhearing.registry"
    label = "registry"
    verbose_name = "Sanctions registry"

    def ready(self) -> None:
        from fairhearing.registry.services import sanctions_end_lapsed
        from fairhearing.workflow import tick_hooks

        tick_hooks.register("registry.end_lapsed", sanctions_end_lapsed)
