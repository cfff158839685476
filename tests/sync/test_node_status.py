"""The operator's status page: peers, changes waiting, bundles waiting in the drop folder (and
importing them from the page or with `pyithu sync import`), conflicts kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from pyithu.core.models import AuditEntry
from pyithu.sync.models import Peer, SyncProbe

from .conftest import probe_payload


@pytest.fixture
def drop_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hub) -> Path:
    """This site's drop folder, and its identity unlocked for the page and the command."""
    folder = tmp_path / "bundles"
    folder.mkdir()
    monkeypatch.setenv("PYITHU_SYNC_BUNDLE_DIR", str(folder))
    monkeypatch.setattr("pyithu.sync.views.site_identity", lambda: hub)
    monkeypatch.setattr("pyithu.sync.management.commands.sync.site_identity", lambda: hub)
    return folder


def stick(folder: Path, lashio, hub) -> tuple[str, str]:
    """Copy a good bundle and a truncated one from the USB stick into the drop folder."""
    good = lashio.bundle(hub, [lashio.change("sync.syncprobe", probe_payload("answer", "rest"))])
    cut = lashio.bundle(hub, [lashio.change("sync.syncprobe", probe_payload("answer", "lost"))])
    (folder / "1-lashio-week.bundle").write_bytes(good)
    (folder / "2-lashio-cut.bundle").write_bytes(cut[: len(cut) // 2])
    (folder / "notes.txt").write_text("not a bundle")
    return "1-lashio-week.bundle", "2-lashio-cut.bundle"


def test_operators_import_waiting_bundles_from_the_page(
    hub, lashio, olivia, client_en, drop_folder: Path
) -> None:
    # Given two bundles copied from a stick into the drop folder
    good, cut = stick(drop_folder, lashio, hub)
    client_en.force_login(olivia)
    # When the operator opens the status page
    page = client_en.get("/sync/").content.decode()
    # Then both wait for import, with the folder named, and Lashio has never synced
    assert f'<li translate="no">{good}</li><li translate="no">{cut}</li>' in page
    assert "Copy bundles from the USB stick into this folder:" in page
    assert f'<code translate="no">{drop_folder}</code>' in page
    assert "Sealing keys: the hub's key file." in page
    assert "<td>never</td>" in page
    # When they import them from the page
    response = client_en.post("/sync/import/", follow=True)
    # Then the good one is applied and moved to done/, the cut one refused with its reason
    page = response.content.decode()
    assert response.redirect_chain == [("/sync/", 302)]
    assert f"{good} imported: from Lashio point: 1 new of 1 change(s)." in page
    assert f"{cut} refused: the bundle is truncated" in page
    assert [p.body for p in SyncProbe.objects.all()] == ["rest"]
    assert sorted(p.name for p in drop_folder.iterdir()) == ["done", "notes.txt", "refused"]
    assert (drop_folder / "refused" / f"{cut}.txt").read_text().startswith("the bundle is")
    assert Peer.objects.get(node_id=lashio.node_id).last_sync_at is not None
    assert "<td>never</td>" not in page
    assert AuditEntry.objects.filter(action="sync.inbox_import").get().summary == (
        "1 imported, 1 refused"
    )


def test_only_operators_import_and_nothing_moves_otherwise(
    hub, lashio, alice, client_en, drop_folder: Path
) -> None:
    good, cut = stick(drop_folder, lashio, hub)
    client_en.force_login(alice)
    assert client_en.post("/sync/import/").status_code == 403
    assert client_en.get("/sync/import/").status_code in {403, 405}
    assert sorted(p.name for p in drop_folder.iterdir()) == [good, cut, "notes.txt"]
    assert SyncProbe.objects.count() == 0


def test_the_command_imports_the_drop_folder(hub, lashio, drop_folder: Path) -> None:
    good, cut = stick(drop_folder, lashio, hub)
    out = io.StringIO()
    call_command("sync", "import", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{good}: imported, from Lashio point: 1 new of 1 change(s)"
    assert lines[1].startswith(f"{cut}: REFUSED, the bundle is truncated")
    out = io.StringIO()
    call_command("sync", "import", stdout=out)
    assert out.getvalue().strip() == f"No bundles waiting in {drop_folder}."
