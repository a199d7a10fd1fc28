from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "fairhearing.workflow"
    label = "workflow"
    verbose_name = "Workflow"

    def ready(self) -> None:
        from fairhearing.workflow import guards  # noqa: F401  (registers the built-in guards)
