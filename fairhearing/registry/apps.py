from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "fairhearing.registry"
    label = "registry"
    verbose_name = "Sanctions registry"

    def ready(self) -> None:
        from fairhearing.registry.services import member_statuses_align, sanctions_end_lapsed
        from fairhearing.workflow import tick_hooks

        tick_hooks.register("registry.end_lapsed", sanctions_end_lapsed)
        tick_hooks.register("registry.member_status", member_statuses_align)
