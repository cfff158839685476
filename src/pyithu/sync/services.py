"""Sync's writes that people make: set up an identity, register and revoke peers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from pyithu.core import audit, sealing
from pyithu.sync import config, node_keys
from pyithu.sync.identity import Identity, IdentityError, PublicCard, destroy_file, write_identity
from pyithu.sync.models import Peer
from pyithu.sync.tracking import claim_origin

SCOPE_KINDS = ("townships", "schools", "clinics")


def init_node(path: Path, passphrase: str, **kdf: Any) -> Identity:
    """Create this site's identity file and claim the changes made here so far.

    On a node, the sealing key ring is locked by the same passphrase (0056): a plain key file
    already there is locked in place, so what it sealed stays readable.
    """
    identity = Identity.generate()
    write_identity(identity, path, passphrase, **kdf)
    if config.sync_role() == config.NODE:
        node_keys.lock_existing_or_new(passphrase, **kdf)
    claim_origin(identity)
    audit.record(None, "sync.node_init", summary=f"node {identity.node_id}")
    return identity


def clean_scope(scope: dict[str, Any] | None) -> dict[str, list[str]]:
    scope = scope or {}
    return {k: sorted({str(v)[:64] for v in scope.get(k, [])}) for k in SCOPE_KINDS if scope.get(k)}


def register_peer(
    card: PublicCard,
    name: str,
    *,
    role: str = Peer.Role.NODE,
    scope: dict[str, Any] | None = None,
    actor: Any = None,
) -> Peer:
    """Register (or update the name and scope of) a peer from its public card."""
    if role not in Peer.Role.values:
        raise IdentityError(f"a peer's role is 'hub' or 'node', not {role!r}")
    with transaction.atomic():
        peer = Peer.objects.select_for_update().filter(node_id=card.node_id).first()
        if peer is not None and (peer.verify_key, peer.box_key) != (card.verify_key, card.box_key):
            raise IdentityError(f"node {card.node_id} is registered with other keys")
        if peer is not None and peer.revoked_at is not None:
            raise IdentityError(f"node {card.node_id} was revoked; it needs a new identity")
        if peer is None:
            peer = Peer(node_id=card.node_id, verify_key=card.verify_key, box_key=card.box_key)
        peer.name = name[:100]
        peer.role = role
        peer.scope = clean_scope(scope)
        peer.save()
        audit.record(actor, "sync.peer_register", peer, summary=f"{role} {card.node_id}")
    return peer


def revoke_peer(node_id: str, actor: Any = None) -> Peer:
    with transaction.atomic():
        peer = Peer.objects.select_for_update().filter(node_id=node_id).first()
        if peer is None:
            raise IdentityError(f"no peer {node_id}")
        if peer.revoked_at is None:
            peer.revoked_at = timezone.now()
            peer.save(update_fields=["revoked_at", "updated_at"])
            audit.record(actor, "sync.peer_revoke", peer, summary=node_id)
    return peer


def wipe_node(include_sealing_keys: bool) -> list[str]:
    """Destroy the identity file (and on a node the sealing key file) at once, and forget the
    keys this process holds: after it, nothing sealed here can be read (0056)."""
    from django.conf import settings

    destroyed = []
    if include_sealing_keys and not settings.PYITHU_KEYS_JSON:
        if destroy_file(Path(settings.PYITHU_KEY_FILE)):
            destroyed.append(str(settings.PYITHU_KEY_FILE))
        node_keys.forget()
        sealing.reset_keyring()
    if destroy_file(config.node_key_file()):
        destroyed.append(str(config.node_key_file()))
    return destroyed
