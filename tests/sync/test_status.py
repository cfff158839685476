from __future__ import annotations

from pyithu.core.ids import new_id
from pyithu.sync.exchange import import_bundle
from pyithu.sync.models import SyncNote

from .conftest import note_payload

T0 = 1_790_000_000_000


def test_operators_see_peers_waiting_changes_and_conflicts(hub, lashio, hakha, olivia, client_en):
    # Given a conflict between Lashio and Hakha and a note waiting to go out
    note_id = str(new_id())
    import_bundle(
        lashio.bundle(hub, [lashio.change("sync.syncnote", note_payload(note_id, "a"), at_ms=T0)]),
        hub,
    )
    import_bundle(
        hakha.bundle(
            hub, [hakha.change("sync.syncnote", note_payload(note_id, "b"), at_ms=T0 + 5)]
        ),
        hub,
    )
    SyncNote.objects.create(title="exam centre moved")
    # When the operator opens the status page
    client_en.force_login(olivia)
    response = client_en.get("/sync/")
    # Then it lists both peers, their last sync and the conflict kept
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lashio point" in page and "Hakha point" in page
    assert "1 conflict kept." in page
    assert (
        f'<td translate="no">sync.syncnote {note_id}</td><td translate="no">{hakha.node_id}</td>'
        f'<td translate="no">{lashio.node_id}</td>' in page
    )


def test_the_status_page_is_for_operators_only(alice, client_en, db):
    client_en.force_login(alice)
    assert client_en.get("/sync/").status_code == 403
    client_en.logout()
    assert client_en.get("/sync/").status_code == 302
