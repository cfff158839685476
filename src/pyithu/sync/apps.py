from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pyithu.core.desks import Desk


class SyncConfig(AppConfig):
    name = "pyithu.sync"
    label = "sync"
    verbose_name = _("Sync")
    desks = [Desk("operator", "sync:status", _("Sync with other sites"))]

    def ready(self) -> None:
        from pyithu.core import site
        from pyithu.sync import config, node_keys
        from pyithu.sync.tracking import connect_signals, local_node_id

        # On a township node the sealing keys are locked by the operator passphrase (0056).
        node_keys.register()

        # Every model declaring a travelling SYNC_POLICY, in any app (see tracking.py for why a
        # signal: the service apps must not import sync).
        connect_signals()

        # Services whose rules depend on the place ask core which site this is (0059).
        site.provide(local_node_id, lambda: config.sync_role() == config.NODE)
