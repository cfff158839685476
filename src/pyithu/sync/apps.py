from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "pyithu.sync"
    label = "sync"
    verbose_name = _("Sync")

    def ready(self) -> None:
        from pyithu.sync.tracking import connect_signals

        # Every model declaring a travelling SYNC_POLICY, in any app (see tracking.py for why a
        # signal: the service apps must not import sync).
        connect_signals()
