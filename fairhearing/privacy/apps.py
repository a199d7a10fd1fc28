from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "fairhearing.privacy"
    label = "privacy"

    def ready(self) -> None:
        from fairhearing.privacy import checks  # noqa: F401 - registers the schedule check
        from fairhearing.privacy.retention import retention_tick
        from fairhearing.workflow import tick_hooks

        tick_hooks.register("retention", retention_tick)
