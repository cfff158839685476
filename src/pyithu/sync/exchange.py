"""Export: what a peer lacks goes out, most urgent first, signed by its origins.

Import lives in ``importing``; both are re-exported here for callers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from pyithu.core import sealing
from pyithu.core.ids import new_id
from pyithu.sync import bundles, canonical, config, files, scope, segments, vectors
from pyithu.sync.bundles import BundleError
from pyithu.sync.identity import Identity, b64
from pyithu.sync.importing import import_bundle as run_import
from pyithu.sync.models import ChangeLog, Peer, SignedSegment
from pyithu.sync.tracking import claim_origin, local_state


def number_own(identity: Identity, using: str = "default") -> int:
    """Give counters to this site's committed changes that have none, in log order."""
    with transaction.atomic(using=using):
        state = local_state(using)
        fresh = list(
            ChangeLog.objects.using(using)
            .filter(origin=identity.node_id, counter__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
        )
        for offset, pk in enumerate(fresh, start=1):
            ChangeLog.objects.using(using).filter(pk=pk).update(counter=state.counter + offset)
        state.counter += len(fresh)
        state.save(using=using, update_fields=["counter"])
    return len(fresh)


def sign_own(identity: Identity, using: str = "default") -> int:
    """Sign this site's changes that never left it, in segments of one priority each (and, on
    the hub, of one scope: a node then receives a segment whole or not at all)."""
    claim_origin(identity, using)
    number_own(identity, using)
    unsigned = list(
        ChangeLog.objects.using(using)
        .filter(origin=identity.node_id, segment__isnull=True, counter__isnull=False)
        .order_by("priority", "counter")
    )
    keys: dict[int, str] = {}
    if config.sync_role() == config.HUB:
        keys = scope.grouping_keys(unsigned, using)
    by_priority: dict[tuple[int, str], list[ChangeLog]] = defaultdict(list)
    for change in unsigned:
        by_priority[(change.priority, keys.get(change.pk, ""))].append(change)
    signed = 0
    with transaction.atomic(using=using):
        for changes in by_priority.values():
            for i in range(0, len(changes), segments.SEGMENT_SIZE):
                part = changes[i : i + segments.SEGMENT_SIZE]
                ranges, signature = segments.sign(identity, [bundles.change_wire(c) for c in part])
                segment = SignedSegment.objects.using(using).create(
                    origin=identity.node_id, counters=ranges, signature=signature
                )
                ChangeLog.objects.using(using).filter(pk__in=[c.pk for c in part]).update(
                    segment=segment
                )
                signed += len(part)
    return signed


def pending_for(peer: Peer, using: str = "default") -> Any:
    theirs = vectors.clean(peer.known_vector)
    extras = vectors.clean_extras(peer.known_extra)
    return (
        ChangeLog.objects.using(using)
        .filter(vectors.missing_filter(theirs, extras), counter__isnull=False)
        .exclude(origin=peer.node_id)
        .order_by("priority", "hlc", "origin", "counter")
    )


def directory(using: str = "default") -> list[dict[str, Any]]:
    return [
        {
            "node_id": p.node_id,
            "name": p.name,
            "role": p.role,
            "verify_key": p.verify_key,
            "box_key": p.box_key,
            "revoked": p.revoked_at.isoformat() if p.revoked_at else None,
        }
        for p in Peer.objects.using(using).order_by("node_id")
    ]


def export_bundle(
    identity: Identity,
    peer: Peer,
    using: str = "default",
    *,
    byte_cap: int | None = None,
    max_changes: int | None = None,
) -> tuple[bytes, int]:
    """A bundle for ``peer`` with what it lacks, most urgent first; (bytes, changes)."""
    if peer.revoked_at is not None:
        raise BundleError(f"peer {peer.name} is revoked: nothing is sent to it")
    sign_own(identity, using)
    vector = vectors.local_vector(using)
    contents: dict[str, Any] = {
        "from": identity.node_id,
        "to": peer.node_id,
        "id": str(new_id()),
        "vector": vector,
        "extra": vectors.held_beyond(vector, using),
        "segments": [],
        "changes": [],
        "want": files.wanted(using),
    }
    if config.sync_role() == config.HUB:
        contents["directory"] = directory(using)
        if peer.role == Peer.Role.NODE:
            # The federation's lookup key, inside the box sealed to the node (decision 0057).
            contents["lookup_key"] = b64(sealing.keyring().shared_digest_key)
    budget = None
    if byte_cap is not None:
        budget = byte_cap - len(bundles.seal(identity, peer, contents))
    groups, budget = _select(peer, using, budget, max_changes)
    blob = _sealed(identity, peer, contents, groups, budget, using)
    while byte_cap is not None and len(blob) > byte_cap and groups:
        groups = groups[: len(groups) * 7 // 8]
        blob = _sealed(identity, peer, contents, groups, 0, using)
    return blob, len(contents["changes"])


@dataclass
class Group:
    """One segment as it goes to a peer: changes sent whole, and those withheld (out of the
    peer's scope) given by hash only, or not at all when the whole segment is withheld."""

    segment: SignedSegment
    wires: list[dict[str, Any]]
    hashes: list[tuple[int, str]]
    withheld: bool


def _sealed(
    identity: Identity,
    peer: Peer,
    contents: dict[str, Any],
    groups: list[Group],
    file_budget: int | None,
    using: str,
) -> bytes:
    contents["segments"] = [
        {"o": g.segment.origin, "c": g.segment.counters, "s": g.segment.signature}
        | ({"w": 1} if g.withheld else {})
        for g in groups
    ]
    contents["changes"] = [{**w, "g": i} for i, g in enumerate(groups) for w in g.wires]
    contents["hashes"] = [[i, n, h] for i, g in enumerate(groups) for n, h in g.hashes]
    index, blobs = files.outgoing(contents["changes"], peer, file_budget, using)
    contents["files"] = index
    return bundles.seal(identity, peer, contents, blobs)


def _select(
    peer: Peer, using: str, budget: int | None, max_changes: int | None
) -> tuple[list[Group], int | None]:
    """What the peer lacks, whole segments at a time, most urgent first, within the budget;
    and the budget left for files.

    A segment goes whole (less what the peer already holds) so the peer can check its
    signature; a smaller, less urgent segment may still fill the room a big one left.
    Changes outside the peer's scope go as their hash (the signature needs it), never their
    content; a segment entirely outside it goes as its counters only.
    """
    pending = list(pending_for(peer, using).select_related("segment"))
    allowed = scope.allowed(peer, [c for c in pending if c.model], using)
    grouped: dict[int, list[ChangeLog]] = {}
    order: list[SignedSegment] = []
    for change in pending:
        if change.segment_id not in grouped:
            grouped[change.segment_id] = []
            order.append(change.segment)
        grouped[change.segment_id].append(change)
    chosen: list[Group] = []
    count = 0
    for segment in order:
        group = _group(segment, grouped[segment.pk], allowed)
        if group is None:
            continue
        if budget is not None:
            # Records compress about threefold; a signature or a hash does not compress.
            cost = 100 + 50 * len(group.hashes)
            cost += sum(len(canonical.dumps(w)) for w in group.wires) // 3
            if cost > budget:
                continue
            budget -= cost
        chosen.append(group)
        count += len(group.wires)
        if max_changes is not None and count >= max_changes:
            break
    return chosen, budget


def _group(segment: SignedSegment, changes: list[ChangeLog], allowed: set[int]) -> Group | None:
    sent = [c for c in changes if c.pk in allowed]
    if not sent:
        return Group(segment, [], [], withheld=True)
    hashes = []
    for change in changes:
        if change.pk in allowed:
            continue
        if change.model:
            digest = segments.change_hash(bundles.change_wire(change))
            hashes.append((change.counter, b64(digest)))
        elif len(change.payload) > 1:
            hashes.append((change.counter, change.payload[1:]))
        else:
            return None  # a withheld change we hold without its hash: cannot be proven
    return Group(segment, [bundles.change_wire(c) for c in sent], hashes, withheld=False)


def import_bundle(blob: bytes, identity: Identity, using: str = "default") -> Any:
    return run_import(blob, identity, using)
