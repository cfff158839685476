"""This site's own sync state: its node id (claimed at ``node init``), and whether the writes
under way are sync applying remote changes (which are not logged again). Kept below tracking
and merging, which both need it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from django.db import IntegrityError, transaction

from pyithu.sync.bundles import BundleError
from pyithu.sync.identity import Identity
from pyithu.sync.models import ChangeLog, LocalState


def local_state(using: str = "default", *, lock: bool = True) -> LocalState:
    queryset = LocalState.objects.using(using)
    if lock:
        queryset = queryset.select_for_update()
    state = queryset.filter(pk=1).first()
    if state is None:
        try:
            with transaction.atomic(using=using):
                LocalState.objects.using(using).create(pk=1)
        except IntegrityError:
            pass  # made by a concurrent first change
        state = queryset.get(pk=1)
    return state


_node_ids: dict[str, str] = {}
_applying = threading.local()


@contextlib.contextmanager
def applying() -> Iterator[None]:
    """Writes made inside are sync applying remote changes: they are not logged again."""
    depth = getattr(_applying, "depth", 0)
    _applying.depth = depth + 1
    try:
        yield
    finally:
        _applying.depth = depth


def is_applying() -> bool:
    return getattr(_applying, "depth", 0) > 0


def local_node_id(using: str = "default") -> str:
    """This site's node id ("" before ``node init``); cached once set, as it never changes."""
    node_id = _node_ids.get(using)
    if node_id is None:
        node_id = local_state(using, lock=False).node_id
        if node_id:
            _node_ids[using] = node_id
    return node_id


def forget_node_id() -> None:
    _node_ids.clear()


def claim_origin(identity: Identity, using: str = "default") -> int:
    """Give this site's node id to the state row and to changes made before it had one."""
    with transaction.atomic(using=using):
        state = local_state(using)
        if state.node_id and state.node_id != identity.node_id:
            raise BundleError(
                f"this database belongs to node {state.node_id}, not {identity.node_id}"
            )
        if state.node_id != identity.node_id:
            state.node_id = identity.node_id
            state.save(using=using, update_fields=["node_id"])
            forget_node_id()
        return ChangeLog.objects.using(using).filter(origin="").update(origin=identity.node_id)


def made_by_hub(model: type, pks: list, using: str = "default") -> list[str]:
    """Of these records, those whose first change came from the hub (this site, on the hub;
    else the peer registered as hub). Their origin signature was checked on import (0052), so a
    node trusts a money allotment only when this says the hub made it (0026)."""
    from pyithu.sync import config
    from pyithu.sync.models import Peer

    origins = set(Peer.objects.using(using).filter(role="hub").values_list("node_id", flat=True))
    if config.sync_role() == config.HUB:
        origins |= {"", local_node_id(using)}
    ids = [str(pk) for pk in pks]
    return list(
        ChangeLog.objects.using(using)
        .filter(model=model._meta.label_lower, object_id__in=ids, origin__in=origins)
        .values_list("object_id", flat=True)
        .distinct()
    )


def points(using: str = "default") -> list[tuple[str, str]]:
    """The registered, unrevoked township nodes, by name (for ``core.site.points``)."""
    from pyithu.sync.models import Peer

    nodes = Peer.objects.using(using).filter(role="node", revoked_at=None).order_by("name")
    return list(nodes.values_list("node_id", "name"))
