"""Old versions of a ``SYNC_FORGET_OLD`` record are kept only as hashes, and a relay still
proves the segment they were signed in (decision 0066)."""

from __future__ import annotations

import pytest

from pyithu.core.ids import new_id
from pyithu.sync import bundles, segments
from pyithu.sync.exchange import export_bundle, import_bundle
from pyithu.sync.identity import unb64
from pyithu.sync.models import ChangeLog, Peer, SyncNote
from tests.sync.conftest import note_payload

SECRET = "Transcript of Thiri, ward 7"


@pytest.fixture(autouse=True)
def _forgetting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SyncNote, "SYNC_FORGET_OLD", True, raising=False)


def test_an_old_version_becomes_a_hash_that_still_proves_its_segment(hub, lashio, hakha) -> None:
    # Given a note made at Lashio, naming someone, relayed by the hub
    note_id = str(new_id())
    made = lashio.change("sync.syncnote", note_payload(note_id, SECRET))
    import_bundle(lashio.bundle(hub, [made]), hub)
    # When the hub writes a newer version that no longer names them
    note = SyncNote.objects.get(pk=note_id)
    note.title = "decided"
    note.save()
    # Then nothing in the hub's log holds the old text; the old version is a bare hash
    assert [c.payload for c in ChangeLog.objects.all() if SECRET in c.payload] == []
    placeholder = ChangeLog.objects.get(origin=lashio.node_id, counter=made["n"])
    assert (placeholder.model, placeholder.object_id) == ("", "")
    assert placeholder.payload.startswith("#")
    # And Hakha, which lacks both, gets the new version whole and of the old one only its
    # counter (a segment the hub withholds entirely: accepted from a hub, 0055)
    body = bundles.open_body(
        bundles.read_envelope(export_bundle(hub, Peer.objects.get(node_id=hakha.node_id))[0]),
        hakha.identity,
    )
    notes = [c for c in body["changes"] if c["m"] == "sync.syncnote"]
    assert [c["p"]["title"] for c in notes] == ["decided"]
    assert SECRET not in repr(body)
    [segment] = [s for s in body["segments"] if s["o"] == lashio.node_id]
    assert segment.get("w") == 1


def test_a_relay_proves_a_segment_mixing_kept_and_forgotten_versions(hub, lashio, hakha) -> None:
    # Given two notes made at Lashio in one signed segment, relayed by the hub
    first, second = str(new_id()), str(new_id())
    changes = [
        lashio.change("sync.syncnote", note_payload(first, SECRET)),
        lashio.change("sync.syncnote", note_payload(second, "kept as it is")),
    ]
    import_bundle(lashio.bundle(hub, changes), hub)
    # When the hub supersedes the first only
    note = SyncNote.objects.get(pk=first)
    note.title = "decided"
    note.save()
    # Then Hakha gets the second whole and the first as its hash, and Lashio's signature holds
    body = bundles.open_body(
        bundles.read_envelope(export_bundle(hub, Peer.objects.get(node_id=hakha.node_id))[0]),
        hakha.identity,
    )
    assert SECRET not in repr(body)
    [index] = [i for i, s in enumerate(body["segments"]) if s["o"] == lashio.node_id]
    segment = body["segments"][index]
    wires = {c["n"]: c for c in body["changes"] if c["g"] == index}
    hashed = {int(n): unb64(h) for g, n, h in body["hashes"] if g == index}
    assert sorted(wires) == [2] and sorted(hashed) == [1]
    hashes = [hashed.get(n) or segments.change_hash(wires[n]) for n in (1, 2)]
    assert segments.verify(
        lashio.node_id, segment["c"], hashes, segment["s"], lashio.identity.card.verify_key
    )
