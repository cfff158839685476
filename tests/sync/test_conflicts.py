from __future__ import annotations

import pytest

from pyithu.core.ids import new_id
from pyithu.sync.exchange import import_bundle
from pyithu.sync.models import ChangeLog, ConflictHistory, SyncNote, SyncProbe

from .conftest import note_payload, probe_payload

T0 = 1_790_000_000_000  # wall-clock milliseconds


@pytest.mark.parametrize("order", ["lashio first", "hakha first"])
def test_concurrent_edits_converge_to_the_later_one_and_keep_the_other(
    hub, lashio, hakha, order
) -> None:
    # Given a booking made on Lashio and known to both nodes
    note_id = str(new_id())
    made = lashio.change("sync.syncnote", note_payload(note_id, "booking", status="new"), at_ms=T0)
    base = [made["h"], lashio.node_id]
    # When both edit it offline, Hakha a second later
    by_lashio = lashio.change(
        "sync.syncnote",
        note_payload(note_id, "booking", status="cancelled"),
        base=base,
        at_ms=T0 + 1000,
    )
    by_hakha = hakha.change(
        "sync.syncnote",
        note_payload(note_id, "booking", status="confirmed"),
        base=base,
        at_ms=T0 + 2000,
    )
    bundles = {
        "lashio": lashio.bundle(hub, [made, by_lashio]),
        "hakha": hakha.bundle(hub, [made, by_hakha]),
    }
    first, second = ("lashio", "hakha") if order == "lashio first" else ("hakha", "lashio")
    import_bundle(bundles[first], hub)
    import_bundle(bundles[second], hub)
    # Then the later edit wins, whatever the order
    assert SyncNote.objects.get(pk=note_id).status == "confirmed"
    # And the losing version is kept, with the winner it lost to
    conflict = ConflictHistory.objects.get(object_id=note_id)
    assert (conflict.loser.origin, conflict.loser.counter) == (lashio.node_id, 2)
    assert (conflict.winner.origin, conflict.winner.counter) == (hakha.node_id, 1)
    assert '"status":"cancelled"' in conflict.loser.payload


def test_equal_clocks_are_broken_by_origin_id(hub, lashio, hakha) -> None:
    note_id = str(new_id())
    a = lashio.change("sync.syncnote", note_payload(note_id, "t", status="a"), at_ms=T0)
    b = hakha.change("sync.syncnote", note_payload(note_id, "t", status="b"), at_ms=T0)
    assert a["h"] == b["h"]
    import_bundle(hakha.bundle(hub, [b]), hub)
    import_bundle(lashio.bundle(hub, [a]), hub)
    expected = "a" if lashio.node_id > hakha.node_id else "b"
    assert SyncNote.objects.get(pk=note_id).status == expected
    assert ConflictHistory.objects.filter(object_id=note_id).count() == 1


def test_a_successor_is_applied_without_a_conflict(hub, lashio) -> None:
    note_id = str(new_id())
    made = lashio.change("sync.syncnote", note_payload(note_id, "t", status="new"))
    edit = lashio.change(
        "sync.syncnote", note_payload(note_id, "t", status="seen"), base=[made["h"], lashio.node_id]
    )
    import_bundle(lashio.bundle(hub, [made, edit]), hub)
    assert SyncNote.objects.get(pk=note_id).status == "seen"
    assert not ConflictHistory.objects.filter(object_id=note_id).exists()


def test_append_only_records_never_conflict(hub, lashio, hakha) -> None:
    # Given the same answer relayed by two nodes (same id), and a different one
    answer = probe_payload("answer", "rest")
    copy_a = lashio.change("sync.syncprobe", answer)
    other = hakha.change("sync.syncprobe", probe_payload("answer", "drink water"))
    import_bundle(lashio.bundle(hub, [copy_a]), hub)
    import_bundle(hakha.bundle(hub, [other, copy_a]), hub)
    # Then each answer exists once and nothing was recorded as a conflict
    assert sorted(SyncProbe.objects.values_list("body", flat=True)) == ["drink water", "rest"]
    assert ConflictHistory.objects.count() == 0
    assert ChangeLog.objects.filter(model="sync.syncprobe").count() == 2


def test_a_local_edit_after_a_remote_one_builds_on_it(hub, lashio) -> None:
    # Given a booking that came from Lashio
    note_id = str(new_id())
    made = lashio.change("sync.syncnote", note_payload(note_id, "booking", status="new"))
    import_bundle(lashio.bundle(hub, [made]), hub)
    # When the hub's clinic coordinator confirms it
    note = SyncNote.objects.get(pk=note_id)
    note.status = "confirmed"
    note.save()
    # Then the hub's change names Lashio's version as its base and sorts after it
    mine = ChangeLog.objects.get(object_id=note_id, origin=hub.node_id)
    assert (mine.base_hlc, mine.base_origin) == (made["h"], lashio.node_id)
    assert mine.hlc > made["h"]
