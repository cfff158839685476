from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running a site: backups and restores, health and readiness, metrics and request logs.

    It sits above every other app (it reads the outbox and sync state, calls `ledger check`)
    and nothing imports it.
    """

    name = "pyithu.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from pyithu.operations import metrics

        metrics.connect_signals()
