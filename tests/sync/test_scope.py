"""Scope: a node receives only the records of the townships it serves, and what it made."""

from __future__ import annotations

import json

import pytest

from pyithu.core.ids import new_id
from pyithu.geo.models import Township
from pyithu.sync import bundles, segments
from pyithu.sync.bundles import BundleError
from pyithu.sync.exchange import export_bundle, import_bundle
from pyithu.sync.models import ChangeLog, Peer, SyncCase, SyncReply
from pyithu.sync.services import register_peer

from .conftest import Remote


@pytest.fixture
def towns(db):
    """Two townships from the reference data: Lashio's and another."""
    first, second = Township.objects.order_by("pcode")[:2]
    return first, second


@pytest.fixture
def lashio_node(hub, towns) -> Remote:
    remote = Remote("Lashio point")
    register_peer(remote.identity.card, "Lashio point", scope={"townships": [towns[0].pcode]})
    return remote


def opened(blob: bytes, remote: Remote) -> dict:
    return bundles.open_body(bundles.read_envelope(blob), remote.identity)


def test_records_outside_a_nodes_townships_never_leave_the_hub(hub, lashio_node, towns) -> None:
    inside, outside = towns
    # Given bookings and replies in Lashio's township and in another one
    here = SyncCase.objects.create(township=inside, text="Ko Aung: cough", label="here")
    there = SyncCase.objects.create(township=outside, text="Ma Hla: fever", label="there")
    SyncReply.objects.create(case=here, body="rest and drink water")
    SyncReply.objects.create(case=there, body="see a doctor in Hakha")
    # When the hub exports for Lashio
    peer = Peer.objects.get(node_id=lashio_node.node_id)
    blob, count = export_bundle(hub, peer)
    contents = opened(blob, lashio_node)
    # Then only Lashio's booking and reply travel, and nothing of the other is in the bundle
    sent = {(c["m"], c["k"] if "k" in c else c["p"]["id"]) for c in contents["changes"]}
    ours = {s for s in sent if s[0].startswith("sync.sync")}
    assert ours == {
        ("sync.synccase", str(here.pk)),
        ("sync.syncreply", str(here.replies.get().pk)),
    }
    plain = json.dumps({k: v for k, v in contents.items() if k != "file_bytes"}, ensure_ascii=False)
    assert "Ma Hla" not in plain and "Hakha" not in plain and str(there.pk) not in plain
    # And the withheld changes are named by counter only (a whole segment) so the node's vector
    # still moves past them
    withheld = [s for s in contents["segments"] if s.get("w")]
    assert withheld and all("s" in s for s in withheld)
    assert count == len(contents["changes"])


def test_the_node_learns_withheld_counters_and_is_not_sent_them_again(
    hub, lashio_node, towns
) -> None:
    # Given a booking outside Lashio's scope, exported to Lashio once
    SyncCase.objects.create(township=towns[1], text="Ma Hla: fever")
    peer = Peer.objects.get(node_id=lashio_node.node_id)
    contents = opened(export_bundle(hub, peer)[0], lashio_node)
    withheld = [s for s in contents["segments"] if s.get("w")]
    top = max(high for s in withheld for _low, high in s["c"])
    # When Lashio reports it holds everything up to that counter
    peer.known_vector = {hub.node_id: top}
    peer.save()
    # Then the next export has nothing of it
    again = opened(export_bundle(hub, peer)[0], lashio_node)
    assert [s for s in again["segments"] if s["o"] == hub.node_id] == []


def test_a_reply_to_a_booking_the_node_made_goes_back_to_it(hub, lashio_node, towns) -> None:
    # Given a booking made on Lashio for a patient from outside its townships
    case_id = "01970000-0000-7000-8000-00000000abcd"
    made = lashio_node.change(
        "sync.synccase",
        {
            "id": case_id,
            "created_at": "2026-11-20T08:00:00+00:00",
            "updated_at": "2026-11-20T08:00:00+00:00",
            "township_id": towns[1].pcode,
            "text": "Ko Ko: rash",
            "reply": "",
            "status": "",
            "label": "",
        },
    )
    import_bundle(lashio_node.bundle(hub, [made]), hub)
    # When the hub's doctor replies
    SyncReply.objects.create(case_id=case_id, body="use the cream twice a day")
    peer = Peer.objects.get(node_id=lashio_node.node_id)
    contents = opened(export_bundle(hub, peer)[0], lashio_node)
    # Then the reply goes to Lashio although the township is not Lashio's
    replies = [c["p"]["body"] for c in contents["changes"] if c["m"] == "sync.syncreply"]
    assert replies == ["use the cream twice a day"]


def test_only_a_hub_may_withhold_changes(hub, lashio_node) -> None:
    # Given a bundle from a node claiming a whole segment of its changes is withheld
    probe = lashio_node.change("sync.syncprobe", {"id": str(new_id()), "topic": "t"})
    ranges, signature = segments.sign(lashio_node.identity, [probe])
    contents = {
        "from": lashio_node.node_id,
        "to": hub.node_id,
        "id": str(new_id()),
        "vector": {},
        "segments": [{"o": lashio_node.node_id, "c": ranges, "s": signature, "w": 1}],
        "changes": [],
    }
    peer = Peer(node_id=hub.node_id, box_key=hub.card.box_key)
    blob = bundles.seal(lashio_node.identity, peer, contents)
    before = ChangeLog.objects.count()
    # When the hub imports it, then it is refused and nothing is recorded
    with pytest.raises(BundleError, match="only a hub may withhold changes"):
        import_bundle(blob, hub)
    assert ChangeLog.objects.count() == before
