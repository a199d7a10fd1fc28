from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AuditConfig(AppConfig):
    name = "fairhearing.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from django.apps import apps
        from django.core.checks import register

        from fairhearing.audit import registry
        from fairhearing.audit.checks import check_signing_key
        from fairhearing.audit.services import checkpoint_tick
        from fairhearing.workflow import tick_hooks

        autodiscover_modules("audit_actions")
        for config in apps.get_app_configs():
            module = getattr(config.module, "audit_actions", None)
            if module is not None:
                registry.register(module.ACTIONS, origin=config.name)
        # A signed checkpoint after each tick; a missing key is logged and skipped.
        tick_hooks.register("audit.checkpoint", checkpoint_tick)
        register(check_signing_key, "fairhearing")
