"""Reference data by natural key, deletes, many-to-many links, files, and field owners."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.apps import apps
from django.core.files.base import ContentFile

from pyithu.core.fields import sealed_storage
from pyithu.core.ids import new_id
from pyithu.geo.models import Township
from pyithu.sync import bundles, files, segments
from pyithu.sync.bundles import BundleError
from pyithu.sync.exchange import export_bundle, import_bundle
from pyithu.sync.models import (
    ChangeLog,
    ConflictHistory,
    MissingFile,
    Peer,
    SyncCase,
    SyncNote,
    SyncProbe,
)
from pyithu.sync.services import register_peer

from .conftest import Remote, note_payload, probe_payload

T0 = 1_790_000_000_000
NOW = "2026-11-20T08:00:00+00:00"


def case_payload(case_id: str, pcode: str | None, **fields: str) -> dict:
    values = {"text": "", "reply": "", "status": "", "label": ""} | fields
    return {"id": case_id, "created_at": NOW, "updated_at": NOW, "township_id": pcode} | values


def test_a_link_to_a_township_travels_by_its_pcode(hub, lashio) -> None:
    # Given a township whose id on the hub differs from the node's (ids are minted per site)
    township = Township.objects.order_by("pcode").first()
    case_id = str(new_id())
    # When Lashio's booking names it by P-code
    made = lashio.change("sync.synccase", case_payload(case_id, township.pcode, text="cough"))
    import_bundle(lashio.bundle(hub, [made]), hub)
    # Then it points at the hub's own row, and the hub logs its own edits by P-code too
    case = SyncCase.objects.get(pk=case_id)
    assert case.township_id == township.pk
    case.label = "seen"
    case.save()
    mine = ChangeLog.objects.filter(object_id=case_id).latest("hlc")
    assert json.loads(mine.payload)["township_id"] == township.pcode


def test_a_link_to_an_unknown_township_is_refused_and_changes_nothing(hub, lashio) -> None:
    made = lashio.change("sync.synccase", case_payload(str(new_id()), "MMR999999"))
    before = ChangeLog.objects.count()
    with pytest.raises(BundleError, match="'MMR999999', which this site does not hold"):
        import_bundle(lashio.bundle(hub, [made]), hub)
    assert ChangeLog.objects.count() == before and SyncCase.objects.count() == 0


def test_a_delete_travels_and_applies_once(hub, lashio) -> None:
    # Given a note and an answer made on Lashio, then deleted there
    note_id = str(new_id())
    made = lashio.change("sync.syncnote", note_payload(note_id, "booking"))
    answer = probe_payload("answer", "rest")
    added = lashio.change("sync.syncprobe", answer)
    gone_note = lashio.change("sync.syncnote", None, base=[made["h"], lashio.node_id])
    gone_note["k"] = note_id
    gone_answer = lashio.change("sync.syncprobe", None)
    gone_answer["k"] = answer["id"]
    # When the deletes arrive before the records (bundles out of order), then again in order
    import_bundle(lashio.bundle(hub, [gone_note, gone_answer]), hub)
    import_bundle(lashio.bundle(hub, [made, added, gone_note, gone_answer]), hub)
    # Then neither exists, and each change is held once
    assert not SyncNote.objects.filter(pk=note_id).exists()
    assert not SyncProbe.objects.filter(pk=answer["id"]).exists()
    assert ChangeLog.objects.filter(origin=lashio.node_id, deleted=True).count() == 2


def test_a_local_delete_is_logged_as_a_tombstone(hub) -> None:
    note = SyncNote.objects.create(title="booking")
    note_id = str(note.pk)
    note.delete()
    tombstone = ChangeLog.objects.filter(object_id=note_id).latest("hlc")
    assert (tombstone.deleted, tombstone.payload) == (True, "null")
    assert bundles.change_wire(tombstone)["p"] is None


def test_many_to_many_links_travel_with_the_record(hub, lashio) -> None:
    # Given a note linked to an answer and to a township (by P-code)
    township = Township.objects.order_by("pcode").first()
    probe = probe_payload("answer", "rest")
    note_id = str(new_id())
    changes = [
        lashio.change("sync.syncprobe", probe),
        lashio.change(
            "sync.syncnote",
            note_payload(note_id, "booking")
            | {"probes": [probe["id"]], "townships": [township.pcode]},
        ),
    ]
    # When it is imported
    import_bundle(lashio.bundle(hub, changes), hub)
    # Then the links are set, and a local change of them is logged
    note = SyncNote.objects.get(pk=note_id)
    assert [str(p.pk) for p in note.probes.all()] == [probe["id"]]
    assert list(note.townships.all()) == [township]
    note.townships.clear()
    latest = ChangeLog.objects.filter(object_id=note_id).latest("hlc")
    assert json.loads(latest.payload)["townships"] == []


def test_a_file_travels_as_bytes_and_is_sealed_again(
    hub, lashio, django_capture_on_commit_callbacks
) -> None:
    # Given a note with a document on Lashio (the name is the origin's sealed-storage name)
    data = b"%PDF-1.4 recommendation letter"
    name = f"{new_id().hex}.sealed"
    note_id = str(new_id())
    ref = {"n": name, "h": files.digest(data)}
    change = lashio.change("sync.syncnote", note_payload(note_id, "voucher") | {"attachment": ref})
    blob = sealed_bundle(lashio, hub, [change], [[name, ref["h"], len(data)]], [data])
    # When the hub imports it
    with django_capture_on_commit_callbacks(execute=True):
        report = import_bundle(blob, hub)
    # Then the file is there, sealed under the hub's keys, and readable
    assert report.files == 1
    assert SyncNote.objects.get(pk=note_id).attachment.read() == data
    with open(sealed_storage.path(name), "rb") as stored:
        assert data not in stored.read()
    sealed_storage.delete(name)


def test_a_file_that_does_not_match_its_record_is_refused(hub, lashio) -> None:
    name = f"{new_id().hex}.sealed"
    ref = {"n": name, "h": files.digest(b"the real letter")}
    change = lashio.change("sync.syncnote", note_payload(str(new_id()), "x") | {"attachment": ref})
    blob = sealed_bundle(lashio, hub, [change], [[name, ref["h"], 6]], [b"forged"])
    with pytest.raises(BundleError, match=f"the file {name} does not match"):
        import_bundle(blob, hub)
    assert SyncNote.objects.count() == 0 and not sealed_storage.exists(name)


def test_a_file_left_out_is_asked_for_and_sent_next_time(hub, lashio) -> None:
    # Given a note from Lashio whose file did not fit in the bundle
    data = b"exam certificate scan"
    name = f"{new_id().hex}.sealed"
    ref = {"n": name, "h": files.digest(data)}
    change = lashio.change("sync.syncnote", note_payload(str(new_id()), "x") | {"attachment": ref})
    import_bundle(lashio.bundle(hub, [change]), hub)
    # Then the hub remembers it lacks the file and asks for it in its next bundle
    assert list(MissingFile.objects.values_list("name", flat=True)) == [name]
    contents = bundles.open_body(
        bundles.read_envelope(export_bundle(hub, Peer.objects.get(node_id=lashio.node_id))[0]),
        lashio.identity,
    )
    assert contents["want"] == {name: ref["h"]}


# 20 kB that do not compress (like a scanned PDF): files are compressed only when it helps.
SCAN = b"".join(hashlib.blake2b(i.to_bytes(4, "big")).digest() for i in range(320))


def test_the_hub_sends_files_after_the_records_under_a_byte_cap(hub, lashio) -> None:
    # Given a note with a 20 kB document on the hub
    note = SyncNote(title="voucher")
    note.attachment.save("letter.pdf", ContentFile(SCAN), save=False)
    note.save()
    peer = Peer.objects.get(node_id=lashio.node_id)
    # When the hub exports for Lashio with room for the records only, then with room
    small = bundles.open_body(
        bundles.read_envelope(export_bundle(hub, peer, byte_cap=8000)[0]), lashio.identity
    )
    large = bundles.open_body(bundles.read_envelope(export_bundle(hub, peer)[0]), lashio.identity)
    # Then the record goes first and the bytes only when they fit
    assert any(c["m"] == "sync.syncnote" for c in small["changes"])
    assert small["files"] == [] and small["file_bytes"] == b""
    assert large["files"] == [[note.attachment.name, files.digest(SCAN), 20480]]
    sealed_storage.delete(note.attachment.name)


def sealed_bundle(remote: Remote, hub, changes, index, blobs) -> bytes:
    ranges, signature = segments.sign(remote.identity, changes)
    contents = {
        "from": remote.node_id,
        "to": hub.node_id,
        "id": str(new_id()),
        "vector": {},
        "segments": [{"o": remote.node_id, "c": ranges, "s": signature}],
        "changes": [{**c, "g": 0} for c in changes],
        "files": index,
    }
    return bundles.seal(
        remote.identity, Peer(node_id=hub.node_id, box_key=hub.card.box_key), contents, blobs
    )


@pytest.fixture
def as_node(monkeypatch):
    """This database plays a township node; the hub and Hakha are remote."""
    monkeypatch.setenv("PYITHU_SYNC_ROLE", "node")


@pytest.mark.parametrize("order", ["hub first", "node first"])
def test_field_owners_win_their_fields_in_either_order(hub, as_node, order) -> None:
    # Given the hub (doctor) and Hakha (where the patient booked) both registered here
    center = Remote("Naypyitaw hub")
    register_peer(center.identity.card, "Naypyitaw hub", role="hub")
    hakha = Remote("Hakha point")
    register_peer(hakha.identity.card, "Hakha point")
    case_id = str(new_id())
    made = hakha.change("sync.synccase", case_payload(case_id, None, text="cough"), at_ms=T0)
    base = [made["h"], hakha.node_id]
    # When the doctor replies on the hub, and later the patient adds to the text on Hakha,
    # also touching the status (which is the hub's), both from the same first version
    by_hub = center.change(
        "sync.synccase",
        case_payload(case_id, None, text="cough", reply="rest", status="answered"),
        base=base,
        at_ms=T0 + 1000,
    )
    by_node = hakha.change(
        "sync.synccase",
        case_payload(case_id, None, text="cough, 3 days", status="waiting", label="again"),
        base=base,
        at_ms=T0 + 2000,
    )
    bundles_by = {"hub": center.bundle(hub, [made, by_hub]), "node": hakha.bundle(hub, [by_node])}
    if order == "node first":
        import_bundle(hakha.bundle(hub, [made]), hub)
    first, second = ("hub", "node") if order == "hub first" else ("node", "hub")
    import_bundle(bundles_by[first], hub)
    import_bundle(bundles_by[second], hub)
    # Then each side's fields win, the rest is the later writer's
    case = SyncCase.objects.get(pk=case_id)
    assert (case.text, case.reply, case.status, case.label) == (
        "cough, 3 days",
        "rest",
        "answered",
        "again",
    )
    # And the losing version is kept
    conflict = ConflictHistory.objects.get(object_id=case_id)
    assert (conflict.loser.origin, conflict.winner.origin) == (center.node_id, hakha.node_id)


def test_every_model_declares_whether_it_syncs() -> None:
    undeclared = sorted(
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("pyithu.")
        and not m._meta.proxy
        and not m._meta.auto_created
        and getattr(m, "SYNC_POLICY", None) is None
    )
    assert undeclared == [], f"models without SYNC_POLICY: {', '.join(undeclared)}"
