from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pyithu.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from pyithu.core import checks  # noqa: F401  (registers system checks)
