from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pyithu.core.desks import Desk


class SyncConfig(AppConfig):
    name = "pyithu.sync"
    label = "sync"
    verbose_name = _("Sync")
    desks = [Desk("operator", "sync:status", _("Sync with other sites"))]

    def ready(self) -> None:
        from pyithu.sync import node_keys
        from pyithu.sync.tracking import connect_signals

        # On a township node the sealing keys are locked by the operator passphrase (0056).
        node_keys.register()

        # Every model declaring a travelling SYNC_POLICY, in any app (see tracking.py for why a
        # signal: the service apps must not import sync).
        connect_signals()

        # Services ask core who this site is (0026); sync, which owns identities, answers.
        from pyithu.core import site
        from pyithu.sync import config
        from pyithu.sync.local import local_node_id, made_by_hub, points

        site.provide("node_id", local_node_id)
        site.provide("is_hub", lambda: config.sync_role() == config.HUB)
        site.provide("made_by_hub", made_by_hub)
        site.provide("points", points)
