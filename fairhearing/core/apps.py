from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fairhearing.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from fairhearing.core import checks  # noqa: F401  (registers the system checks)
