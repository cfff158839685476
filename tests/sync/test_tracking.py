from __future__ import annotations

import json

from django.db import connection

from pyithu.sync import hlc, registry
from pyithu.sync.exchange import number_own
from pyithu.sync.models import ChangeLog, Peer, SyncNote
from pyithu.sync.tracking import record_existing


def test_synced_models_are_found_from_their_declarations() -> None:
    labels = {m._meta.label_lower for m in registry.synced_models()}
    # Declared travelling policies sync; "local" and undeclared models never do
    assert {"core.auditentry", "accounts.user", "accounts.rolegrant", "sync.syncnote"} <= labels
    assert "geo.township" in labels  # reference data travels by its P-code (0055)
    assert {"sync.syncprobe", "sync.syncrequest", "sync.requestresult"} <= labels
    assert labels.isdisjoint(
        {
            "accounts.apitoken",
            "accounts.loginfailure",
            "sync.peer",
            "sync.changelog",
        }
    )


def test_each_save_appends_one_change_with_its_origin_counter_and_clock(hub) -> None:
    # Given the hub
    # When a note is created, leaves the site, and is then edited
    note = SyncNote.objects.create(title="clinic open", body="Daw Hla's booking")
    [first] = ChangeLog.objects.filter(object_id=str(note.pk))
    assert (first.origin, first.counter) == (hub.node_id, None)
    number_own(hub)
    note.status = "confirmed"
    note.save()
    # Then a second change was logged by this origin, clock increasing, not yet numbered
    first, second = ChangeLog.objects.filter(object_id=str(note.pk)).order_by("id")
    assert second.origin == hub.node_id and second.counter is None
    # And when it first leaves, it gets the next counter
    number_own(hub)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.counter == first.counter + 1
    assert second.hlc > first.hlc
    # And the edit names the version it was made on (its base)
    assert (first.base_hlc, second.base_hlc, second.base_origin) == (None, first.hlc, hub.node_id)
    assert json.loads(second.payload)["status"] == "confirmed"
    assert json.loads(second.payload)["body"] == "Daw Hla's booking"


def test_the_log_keeps_no_version_the_record_no_longer_holds(hub) -> None:
    # Given a note that left the site once
    note = SyncNote.objects.create(title="clinic open", body="first words")
    number_own(hub)
    [sent] = ChangeLog.objects.filter(object_id=str(note.pk))
    # When it is edited twice before it leaves again (a name written, then taken out)
    note.body = "Daw Hla's booking"
    note.save()
    note.body = "a booking"
    note.save()
    # Then only the version that left and the latest are logged; the name is nowhere
    rows = list(ChangeLog.objects.filter(object_id=str(note.pk)).order_by("id"))
    assert rows[0].pk == sent.pk and len(rows) == 2
    assert "Daw Hla" not in "".join(r.payload for r in rows)
    # And the latest stands on the version peers may hold
    assert (rows[1].base_hlc, rows[1].base_origin) == (sent.hlc, hub.node_id)
    # When it is deleted before leaving again, only the tombstone follows the sent version
    object_id = str(note.pk)
    note.delete()
    rows = list(ChangeLog.objects.filter(object_id=object_id).order_by("id"))
    assert [r.deleted for r in rows] == [False, True] and rows[0].pk == sent.pk


def test_the_change_log_is_sealed_at_rest(hub) -> None:
    # Given a note with a sealed body
    SyncNote.objects.create(title="t", body="Daw Hla's booking")
    # When the database is read directly
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM sync_changelog WHERE model = %s", ["sync.syncnote"])
        (raw,) = cursor.fetchone()
    # Then the payload reveals nothing
    assert raw.startswith("sealed:")
    assert "Daw Hla" not in raw


def test_local_models_are_not_tracked(hub) -> None:
    before = ChangeLog.objects.count()
    Peer.objects.create(node_id="nx", name="x", verify_key="a", box_key="b")
    assert ChangeLog.objects.count() == before


def test_existing_rows_join_the_log_once(hub) -> None:
    # Given notes saved before sync tracked them (bulk_create sends no signal)
    SyncNote.objects.bulk_create([SyncNote(title="a"), SyncNote(title="b")])
    # When existing rows are recorded twice
    first = record_existing()
    second = record_existing()
    # Then each row got exactly one change
    assert first["sync.syncnote"] == 2
    assert "sync.syncnote" not in second
    assert ChangeLog.objects.filter(model="sync.syncnote").count() == 2


def test_the_clock_moves_forward_even_when_the_wall_clock_goes_back() -> None:
    stamp = hlc.tick(0, now=1_000)
    behind = hlc.tick(stamp, now=500)
    assert behind == stamp + 1
    assert hlc.receive(behind, hlc.pack(2_000, 3)) == hlc.pack(2_000, 3)
    assert hlc.tick(hlc.pack(2_000, 3), now=1_999) == hlc.pack(2_000, 4)


def test_a_record_without_sealed_fields_is_logged_plain(hub) -> None:
    # Given an audit entry (no sealed field: the log reveals no more than the table)
    from pyithu.core import audit

    entry = audit.record(None, "sync.test", summary="exam centre moved")
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM sync_changelog WHERE object_id = %s", [str(entry.pk)])
        (raw,) = cursor.fetchone()
    assert json.loads(raw)["summary"] == "exam centre moved"
