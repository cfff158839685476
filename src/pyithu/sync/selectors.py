"""Reads for the operator's status page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyithu.sync import config
from pyithu.sync.exchange import pending_for
from pyithu.sync.identity import IdentityError, read_card
from pyithu.sync.models import ChangeLog, ConflictHistory, Peer
from pyithu.sync.node_keys import is_locked_file, key_file
from pyithu.sync.requests import pending_requests


@dataclass(frozen=True)
class PeerStatus:
    peer: Peer
    pending: int


@dataclass(frozen=True)
class SyncStatus:
    role: str
    node_id: str | None
    peers: list[PeerStatus]
    changes: int
    conflicts: int
    recent_conflicts: list[ConflictHistory]
    pending_requests: list[Any]
    waiting_bundles: list[str]
    bundle_dir: str
    keys_locked_at_rest: bool


def waiting_bundles(directory: Path) -> list[str]:
    if not directory.is_dir():
        return []
    return sorted(p.name for p in directory.glob("*.bundle"))


def sync_status() -> SyncStatus:
    try:
        node_id: str | None = read_card(config.node_key_file()).node_id
    except IdentityError:
        node_id = None
    peers = [PeerStatus(p, pending_for(p).count()) for p in Peer.objects.order_by("name")]
    return SyncStatus(
        role=config.sync_role(),
        node_id=node_id,
        peers=peers,
        changes=ChangeLog.objects.count(),
        conflicts=ConflictHistory.objects.count(),
        recent_conflicts=list(ConflictHistory.objects.select_related("winner", "loser")[:20]),
        pending_requests=list(pending_requests().order_by("-created_at")[:50]),
        waiting_bundles=waiting_bundles(config.bundle_dir()),
        bundle_dir=str(config.bundle_dir()),
        keys_locked_at_rest=is_locked_file(key_file()),
    )
