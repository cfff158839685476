from __future__ import annotations

import pytest

from pyithu.core.ids import new_id
from pyithu.sync.bundles import BundleError
from pyithu.sync.exchange import export_bundle, import_bundle
from pyithu.sync.identity import Identity
from pyithu.sync.models import ChangeLog, Peer, SyncNote, SyncProbe
from pyithu.sync.vectors import local_vector

from .conftest import note_payload, probe_payload


def snapshot() -> tuple:
    return (
        sorted(SyncProbe.objects.values_list("topic", "body")),
        sorted(SyncNote.objects.values_list("title", "body", "status")),
        ChangeLog.objects.count(),
    )


def test_a_bundle_brings_a_nodes_changes_once(hub, lashio) -> None:
    # Given two answers and a booking made on the Lashio node
    note_id = str(new_id())
    changes = [
        lashio.change("sync.syncprobe", probe_payload("answer", "take with food")),
        lashio.change("sync.syncprobe", probe_payload("answer", "rest")),
        lashio.change("sync.syncnote", note_payload(note_id, "booking", "Ko Aung", "new")),
    ]
    blob = lashio.bundle(hub, changes, vector={lashio.node_id: 3})
    # When the hub imports the bundle twice
    first = import_bundle(blob, hub)
    second = import_bundle(blob, hub)
    # Then the records exist once, sealed fields readable here
    assert (first.new, second.new) == (3, 0)
    assert sorted(SyncProbe.objects.values_list("body", flat=True)) == ["rest", "take with food"]
    assert SyncNote.objects.get(pk=note_id).body == "Ko Aung"
    # And the hub knows what Lashio holds and holds all of Lashio's counters
    peer = Peer.objects.get(node_id=lashio.node_id)
    assert peer.known_vector == {lashio.node_id: 3}
    assert local_vector()[lashio.node_id] == 3


def test_bundles_out_of_order_give_the_same_state(hub, lashio) -> None:
    # Given a note created then edited on Lashio, carried in two bundles
    note_id = str(new_id())
    created = lashio.change("sync.syncnote", note_payload(note_id, "booking", status="new"))
    edited = lashio.change(
        "sync.syncnote",
        note_payload(note_id, "booking", status="seen"),
        base=[created["h"], lashio.node_id],
    )
    early, late = lashio.bundle(hub, [created]), lashio.bundle(hub, [edited])
    # When the later bundle arrives first
    import_bundle(late, hub)
    assert local_vector().get(lashio.node_id, 0) == 0  # a gap: counter 1 is still missing
    import_bundle(early, hub)
    # Then the edit stands, and the vector covers both
    assert SyncNote.objects.get(pk=note_id).status == "seen"
    assert local_vector()[lashio.node_id] == 2


def test_sealed_values_travel_only_inside_the_encrypted_bundle(hub, lashio) -> None:
    change = lashio.change("sync.syncprobe", probe_payload("symptom", "fever since Tuesday"))
    blob = lashio.bundle(hub, [change])
    assert b"fever" not in blob
    import_bundle(blob, hub)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM sync_syncprobe WHERE topic = 'symptom'")
        (raw,) = cursor.fetchone()
    assert raw.startswith("sealed:") and "fever" not in raw


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b[:-100], "truncated"),
        (lambda b: b[:60] + bytes([b[60] ^ 1]) + b[61:], "altered"),
        (lambda b: b[:-1] + bytes([b[-1] ^ 1]), "altered"),
        (lambda b: b"PK\x03\x04" + b[4:], "not a Pyithu sync bundle"),
    ],
    ids=["truncated", "bit-flipped body", "bit-flipped signature", "not a bundle"],
)
def test_a_damaged_bundle_is_refused_and_changes_nothing(hub, lashio, damage, message) -> None:
    # Given a good bundle from Lashio, damaged on the way
    blob = lashio.bundle(hub, [lashio.change("sync.syncprobe", probe_payload("answer"))])
    before = snapshot()
    # When the hub imports it
    with pytest.raises(BundleError, match=message):
        import_bundle(damage(blob), hub)
    # Then nothing changed
    assert snapshot() == before


def test_a_bundle_for_another_site_is_refused_so_it_can_be_carried_on(hub, lashio) -> None:
    elsewhere = Identity.generate()
    blob = lashio.bundle(elsewhere, [lashio.change("sync.syncprobe", probe_payload("answer"))])
    before = snapshot()
    with pytest.raises(BundleError) as refused:
        import_bundle(blob, hub)
    assert str(refused.value) == (
        f"this bundle is meant for node {elsewhere.node_id}, not this one ({hub.node_id}); "
        "carry it onward unopened"
    )
    assert snapshot() == before


def test_a_revoked_node_is_refused(hub, make_remote) -> None:
    seized = make_remote("Seized point", revoked=True)
    blob = seized.bundle(hub, [seized.change("sync.syncprobe", probe_payload("answer"))])
    before = snapshot()
    with pytest.raises(
        BundleError, match=r"the sender Seized point was revoked on .*: bundle refused"
    ):
        import_bundle(blob, hub)
    assert snapshot() == before


def test_an_unknown_sender_is_refused(hub) -> None:
    from .conftest import Remote

    stranger = Remote("stranger")
    blob = stranger.bundle(hub, [stranger.change("sync.syncprobe", probe_payload("x"))])
    with pytest.raises(
        BundleError, match=f"the sender {stranger.node_id} is not a registered peer"
    ):
        import_bundle(blob, hub)


def test_relayed_changes_are_checked_against_their_origin(hub, lashio, hakha) -> None:
    # Given Hakha carries changes Lashio made, but alters one on the way
    changes = [lashio.change("sync.syncprobe", probe_payload("answer", "rest")) for _ in range(3)]

    def alter(wires: list[dict]) -> None:
        wires[1]["p"]["body"] = "sell the cow"

    blob = hakha.bundle(hub, changes, after_signing=alter)
    before = snapshot()
    # When the hub imports Hakha's bundle (validly signed by Hakha)
    with pytest.raises(
        BundleError, match=f"changes {lashio.node_id}#1-3 fail their origin's signature"
    ):
        import_bundle(blob, hub)
    # Then nothing changed
    assert snapshot() == before


def test_a_relayed_change_with_its_origin_signature_is_accepted(hub, lashio, hakha) -> None:
    change = lashio.change("sync.syncprobe", probe_payload("answer", "rest"))
    report = import_bundle(hakha.bundle(hub, [change]), hub)
    assert report.new == 1
    assert ChangeLog.objects.get(origin=lashio.node_id).counter == 1


def test_export_sends_what_the_peer_lacks_and_nothing_twice(hub, lashio) -> None:
    # Given notes made on the hub
    SyncNote.objects.create(title="exam centre moved", body="to the monastery school")
    peer = Peer.objects.get(node_id=lashio.node_id)
    _blob, count = export_bundle(hub, peer)
    # (all but the hub's own audit trail, which goes to no node: SYNC_SCOPE = {})
    theirs = ChangeLog.objects.exclude(origin=lashio.node_id)
    assert theirs.filter(model="core.auditentry").exists()
    assert count == theirs.exclude(model="core.auditentry").count()
    # When Lashio acknowledges everything (its vector in its next bundle)
    import_bundle(lashio.bundle(hub, [], vector=local_vector()), hub)
    peer.refresh_from_db()
    again, again_count = export_bundle(hub, peer)
    # Then the next bundle carries nothing and is small
    assert again_count == 0
    assert len(again) < 1024


def test_a_byte_cap_sends_the_most_urgent_kinds_first(hub, lashio) -> None:
    # Given many notes (priority 20), answers (10) and a money request (0) waiting
    from pyithu.sync.requests import submit_request

    for i in range(150):
        SyncNote.objects.create(title=f"note {i}", body="x" * 300)
    for i in range(5):
        SyncProbe.objects.create(topic=f"answer {i}")
    submit_request("test.noop", {"amount": 1000}, idempotency_key="cash-in-1")
    peer = Peer.objects.get(node_id=lashio.node_id)
    # When the window allows only 20 KB
    blob, count = export_bundle(hub, peer, byte_cap=20_000)
    # Then the bundle fits and carries the request and its result, then the answers, then notes
    assert len(blob) <= 20_000
    from pyithu.sync import bundles

    sent = [
        c["m"] for c in bundles.open_body(bundles.read_envelope(blob), lashio.identity)["changes"]
    ]
    assert len(sent) == count
    assert sent[:7] == ["sync.syncrequest", "sync.requestresult"] + ["sync.syncprobe"] * 5
    notes = sent.count("sync.syncnote")
    assert 0 < notes < 150  # whole signed segments of up to 64
    assert sent[7 : 7 + notes] == ["sync.syncnote"] * notes
    # (what follows is only smaller, less urgent changes that still fitted)
    assert set(sent[7 + notes :]) <= {"core.auditentry"}


def test_a_change_pointing_at_a_missing_record_is_refused_whole(hub, lashio) -> None:
    # Given a role grant for an account the hub has never seen, after a good answer
    good = lashio.change("sync.syncprobe", probe_payload("answer"))
    grant = lashio.change(
        "accounts.rolegrant",
        {
            "id": str(new_id()),
            "created_at": "2026-11-20T08:00:00+00:00",
            "updated_at": "2026-11-20T08:00:00+00:00",
            "user_id": str(new_id()),
            "role": "doctor",
            "ministry": "health",
            "unit": "",
            "township_id": None,
            "granted_by_id": None,
            "revoked_at": None,
        },
    )
    before = snapshot()
    # When the hub imports the bundle
    with pytest.raises(BundleError, match="clashes with records here"):
        import_bundle(lashio.bundle(hub, [good, grant]), hub)
    # Then not even the good answer was kept
    assert snapshot() == before


def test_a_segment_is_checked_with_the_changes_already_held(hub, lashio) -> None:
    # Given the hub holds the first of three answers Lashio signed together
    changes = [lashio.change("sync.syncprobe", probe_payload("answer", f"a{i}")) for i in range(3)]
    import_bundle(lashio.bundle(hub, changes[:1]), hub)
    # When a bundle brings the whole segment's signature but only the two it lacks
    blob = lashio.bundle(hub, changes, after_signing=lambda wires: wires.pop(0))
    report = import_bundle(blob, hub)
    # Then the signature checks out against the held copy and both are applied
    assert report.new == 2
    assert sorted(SyncProbe.objects.values_list("body", flat=True)) == ["a0", "a1", "a2"]


def test_an_incomplete_segment_waits_for_the_rest(hub, lashio) -> None:
    changes = [lashio.change("sync.syncprobe", probe_payload("answer", f"a{i}")) for i in range(3)]
    blob = lashio.bundle(hub, changes, after_signing=lambda wires: wires.pop(0))
    report = import_bundle(blob, hub)
    assert (report.new, report.incomplete_skipped) == (0, 2)
    assert SyncProbe.objects.count() == 0
    assert import_bundle(lashio.bundle(hub, changes), hub).new == 3
