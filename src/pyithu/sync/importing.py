"""Import: verify everything first, then merge all changes in one transaction (or none)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from pyithu.core import sealing
from pyithu.core.changes import records_arrived
from pyithu.sync import (
    bundles,
    canonical,
    config,
    files,
    merge,
    node_keys,
    registry,
    requests,
    segments,
    vectors,
)
from pyithu.sync.bundles import BundleError
from pyithu.sync.identity import Identity, unb64
from pyithu.sync.models import ChangeLog, Peer, PlainPayload, SignedSegment
from pyithu.sync.tracking import claim_origin


@dataclass
class ImportReport:
    sender: str
    received: int = 0
    new: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    revoked_skipped: int = 0
    incomplete_skipped: int = 0
    withheld: int = 0
    files: int = 0
    requests_executed: int = 0


def import_bundle(blob: bytes, identity: Identity, using: str = "default") -> ImportReport:
    if len(blob) > bundles.MAX_BUNDLE_BYTES:
        raise BundleError("the bundle is too large")
    envelope = bundles.read_envelope(blob)
    with transaction.atomic(using=using):
        claim_origin(identity, using)
        sender = _sender(envelope, identity, using)
        contents = bundles.open_body(envelope, identity)
        report = ImportReport(sender=sender.name, received=len(contents["changes"]))
        _learn_directory(sender, contents, identity.node_id, using)
        _learn_lookup_key(sender, contents)
        # What the sender holds, known before applying: a site forgets old versions only
        # once its hub holds them (forgetting.py); all of it rolls back with a refusal.
        sender.known_vector = vectors.merged(
            vectors.clean(sender.known_vector), vectors.clean(contents.get("vector"))
        )
        sender.known_extra = vectors.clean_extras(contents.get("extra"))
        sender.save(using=using, update_fields=["known_vector", "known_extra"])
        try:
            accepted, withheld = _verified(contents, sender, identity.node_id, using, report)
            with transaction.atomic(using=using):
                stored = _apply(accepted, using, report)
                report.withheld = _store_withheld(withheld, using)
                # Foreign keys are deferred: check now, so a refusal names the bundle.
                connections[using].check_constraints(table_names=_tables(stored))
                report.files = files.receive(contents, [w for w, _s in accepted], using)
        except canonical.MissingReference as exc:
            raise BundleError(f"a change in the bundle cannot be applied: {exc}") from exc
        except (ValueError, TypeError, KeyError, ValidationError) as exc:
            raise BundleError(f"a change in the bundle is damaged: {exc}") from exc
        except IntegrityError as exc:
            raise BundleError(
                "the bundle clashes with records here (a unique value or a missing "
                f"referenced record): {exc}; nothing was imported"
            ) from exc
        report.requests_executed = requests.execute_arrived(stored, using)
        _announce(stored, using)
        sender.last_sync_at = timezone.now()
        sender.last_sync_changes = report.new
        want = contents.get("want")
        sender.wanted_files = (
            {str(k)[:100]: str(v)[:64] for k, v in list(want.items())[:200]}
            if isinstance(want, dict)
            else {}
        )
        sender.save(
            using=using,
            update_fields=[
                "known_vector",
                "known_extra",
                "last_sync_at",
                "last_sync_changes",
                "wanted_files",
            ],
        )
    return report


def _sender(envelope: bundles.Envelope, identity: Identity, using: str) -> Peer:
    if envelope.recipient != identity.node_id:
        raise BundleError(
            f"this bundle is meant for node {envelope.recipient}, not this one "
            f"({identity.node_id}); carry it onward unopened"
        )
    peer = Peer.objects.using(using).filter(node_id=envelope.sender).first()
    if peer is None:
        raise BundleError(f"the sender {envelope.sender} is not a registered peer")
    if peer.revoked_at is not None:
        raise BundleError(
            f"the sender {peer.name} was revoked on {peer.revoked_at:%Y-%m-%d}: bundle refused"
        )
    bundles.verify_sender(envelope, peer)
    return peer


def _learn_directory(sender: Peer, contents: dict[str, Any], me: str, using: str) -> None:
    """A hub's bundle tells a node who the other nodes are, so it can verify relayed changes."""
    entries = contents.get("directory")
    if sender.role != Peer.Role.HUB or not isinstance(entries, list):
        return
    for entry in entries:
        try:
            card = {k: str(entry[k]) for k in ("node_id", "name", "verify_key", "box_key")}
        except (KeyError, TypeError):
            raise BundleError("the hub's peer directory is damaged") from None
        if card["node_id"] in {me, sender.node_id}:
            continue
        peer, _created = Peer.objects.using(using).get_or_create(
            node_id=card["node_id"], defaults={**card, "role": Peer.Role.NODE}
        )
        if entry.get("revoked") and peer.revoked_at is None:
            peer.revoked_at = timezone.now()
            peer.save(using=using, update_fields=["revoked_at"])


def _learn_lookup_key(sender: Peer, contents: dict[str, Any]) -> None:
    """A hub's bundle hands a node the federation's lookup key (decision 0057); the node keeps
    it in its passphrase-locked key ring, so codes digested on one site are found on another."""
    raw = contents.get("lookup_key")
    if raw is None or sender.role != Peer.Role.HUB or config.sync_role() != config.NODE:
        return
    try:
        key = unb64(str(raw))
    except ValueError:
        key = b""
    if len(key) != 32:
        raise BundleError("the hub's lookup key is damaged: bundle refused")
    ring = sealing.keyring()
    if ring.lookup_key == key:
        return
    if ring.lookup_key is not None:
        raise BundleError(
            f"{sender.name} sends another lookup key than the one this node holds: bundle "
            "refused (a node serves one federation; re-install it to move it to another hub)"
        )
    sealing.write_keyring(dataclasses.replace(ring, lookup_key=key), node_keys.key_file())
    sealing.reset_keyring()


Accepted = tuple[dict[str, Any], SignedSegment]
# (origin, counter, hash or "", segment) of changes withheld from this site (out of scope).
Withheld = tuple[str, int, str, SignedSegment | None]


def _verified(
    contents: dict[str, Any], sender: Peer, me: str, using: str, report: ImportReport
) -> tuple[list[Accepted], list[Withheld]]:
    """Changes whose origin segment signature checks out; a bad one refuses the bundle."""
    raw_segments = contents.get("segments")
    if not isinstance(raw_segments, list):
        raise BundleError("the bundle's contents are damaged")
    members: dict[int, dict[int, dict[str, Any]]] = {i: {} for i in range(len(raw_segments))}
    for wire in contents["changes"]:
        if not isinstance(wire, dict) or wire.get("g") not in members:
            raise BundleError("a change in the bundle is damaged")
        members[wire["g"]][wire["n"]] = wire
    hashed: dict[int, dict[int, str]] = {i: {} for i in range(len(raw_segments))}
    for g, n, digest in contents.get("hashes") or []:
        hashed[g][int(n)] = str(digest)
    keys = {p.node_id: p for p in Peer.objects.using(using)}
    accepted: list[Accepted] = []
    withheld: list[Withheld] = []
    for index, raw in enumerate(raw_segments):
        origin = str(raw.get("o")) if isinstance(raw, dict) else ""
        if origin == me:
            continue  # our own changes, back from a round trip
        peer = keys.get(origin)
        if peer is None:
            raise BundleError(f"changes come from unknown node {origin}: bundle refused")
        counters = segments.expand(raw.get("c"))
        if raw.get("w"):
            if sender.role != Peer.Role.HUB or members[index]:
                raise BundleError("only a hub may withhold changes: bundle refused")
            withheld += [(origin, n, "", None) for n in counters]
            continue
        wires = members[index]
        if any(w.get("o") != origin or n not in counters for n, w in wires.items()):
            raise BundleError("a change in the bundle does not belong to its segment")
        hashes = _hashes(origin, counters, wires, hashed[index], using)
        if hashes is None:
            report.incomplete_skipped += len(wires)
            continue  # part of the segment is missing: it will come whole next time
        if not segments.verify(origin, raw["c"], hashes, str(raw.get("s")), peer.verify_key):
            raise BundleError(
                f"changes {origin}#{counters[0]}-{counters[-1]} fail their origin's signature: "
                "bundle refused"
            )
        if peer.revoked_at is not None:
            report.revoked_skipped += len(wires)
            continue
        segment, _new = SignedSegment.objects.using(using).get_or_create(
            origin=origin, signature=str(raw["s"]), defaults={"counters": raw["c"]}
        )
        accepted += [(wire, segment) for wire in wires.values()]
        withheld += [(origin, n, h, segment) for n, h in hashed[index].items()]
    return accepted, withheld


def _hashes(
    origin: str,
    counters: list[int],
    wires: dict[int, dict[str, Any]],
    hashed: dict[int, str],
    using: str,
) -> list[bytes] | None:
    held = {
        c.counter: c
        for c in ChangeLog.objects.using(using).filter(
            origin=origin, counter__in=[n for n in counters if n not in wires and n not in hashed]
        )
    }
    hashes = []
    for counter in counters:
        if counter in wires:
            hashes.append(segments.change_hash(wires[counter]))
        elif counter in hashed:
            hashes.append(unb64(hashed[counter]))
        elif counter in held and held[counter].model:
            hashes.append(segments.change_hash(bundles.change_wire(held[counter])))
        elif counter in held and len(held[counter].payload) > 1:
            hashes.append(unb64(held[counter].payload[1:]))
        else:
            return None
    return hashes


def _store_withheld(withheld: list[Withheld], using: str) -> int:
    """Placeholders for changes out of this site's scope: counted as held (the vector moves
    on), never applied; their hash is kept when known so a relay can still prove a segment."""
    held = _held([(origin, counter) for origin, counter, _h, _s in withheld], using)
    rows = [
        ChangeLog(
            model="",
            object_id="",
            origin=origin,
            counter=counter,
            hlc=0,
            payload=PlainPayload("#" + digest),
            segment=segment,
            priority=100,
        )
        for origin, counter, digest, segment in withheld
        if (origin, counter) not in held
    ]
    ChangeLog.objects.using(using).bulk_create(rows, batch_size=500)
    return len(rows)


def _row(wire: dict[str, Any], segment: SignedSegment) -> dict[str, Any]:
    base = wire.get("b") or [None, ""]
    model = registry.synced_model(str(wire["m"]))
    return dict(
        model=str(wire["m"])[:100],
        object_id=bundles.object_id(wire)[:64],
        origin=wire["o"],
        counter=int(wire["n"]),
        hlc=int(wire["h"]),
        base_hlc=base[0],
        base_origin=base[1] or "",
        payload=canonical.payload_for_log(
            model,
            json.dumps(wire["p"], sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        ),
        deleted=wire["p"] is None,
        segment=segment,
        priority=registry.priority_of(model) if model else registry.DEFAULT_PRIORITY,
    )


def _apply(accepted: list[Accepted], using: str, report: ImportReport) -> list[ChangeLog]:
    stored = []
    held = _held([(wire["o"], int(wire["n"])) for wire, _s in accepted], using)
    present = merge.present_ids([bundles.object_id(w) for w, _s in accepted], using)
    for wire, segment in sorted(accepted, key=lambda a: (int(a[0]["h"]), a[0]["o"], a[0]["n"])):
        if (wire["o"], wire["n"]) in held:
            continue
        held.add((wire["o"], wire["n"]))
        stored.append(ChangeLog(**_row(wire, segment)))
    # One insert per 500 changes, then each applied in clock order: applying reads only the
    # record's held version and the versions older than the change (0066), whatever else of
    # this bundle is already in the log; a refusal rolls all of it back.
    ChangeLog.objects.using(using).bulk_create(stored, batch_size=500)
    # What applying reads (held versions, a field-owner record's versions, which rows exist,
    # peers' roles) is loaded once for the whole batch; new and moved versions are written
    # together before the import commits.
    batch = merge.load_batch(stored, using)
    for change in stored:
        outcome = merge.apply_change(change, using, present, batch=batch)
        report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
    batch.flush(using)
    report.new = len(stored)
    return stored


def _held(changes: list[tuple[str, int]], using: str) -> set[tuple[str, int]]:
    """Which of these (origin, counter) changes this site already holds, in one query per
    origin and 500 counters."""
    by_origin: dict[str, list[int]] = {}
    for origin, counter in changes:
        by_origin.setdefault(origin, []).append(counter)
    held: set[tuple[str, int]] = set()
    for origin, counters in by_origin.items():
        for i in range(0, len(counters), 500):
            held.update(
                ChangeLog.objects.using(using)
                .filter(origin=origin, counter__in=counters[i : i + 500])
                .values_list("origin", "counter")
            )
    return held


def _announce(stored: list[ChangeLog], using: str) -> None:
    """Tell the services which of their records arrived (core.changes.records_arrived)."""
    by_model: dict[str, list[str]] = {}
    for change in stored:
        if change.model and not change.deleted:
            by_model.setdefault(change.model, []).append(change.object_id)
    for label, ids in sorted(by_model.items()):
        model = registry.synced_model(label)
        if model is not None:
            records_arrived.send(sender=model, pks=ids, using=using)


def _tables(changes: list[ChangeLog]) -> list[str]:
    models = {registry.synced_model(c.model) for c in changes}
    return sorted(m._meta.db_table for m in models if m is not None)
