"""Files travel once, compressed when it helps, and go from every site when a record drops
them (decisions 0065, 0066)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from pyithu.core.fields import sealed_storage
from pyithu.sync import bundles, files, forgetting, vectors
from pyithu.sync.exchange import export_bundle
from pyithu.sync.models import MissingFile, Peer, SyncNote

LETTER = b"Transcript of the applicant: grade 9, all subjects passed. " * 200


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def opened(blob: bytes, remote: Any) -> dict[str, Any]:
    return bundles.open_body(bundles.read_envelope(blob), remote.identity)


def test_a_file_goes_compressed_and_comes_out_whole(hub, lashio) -> None:
    note = SyncNote(title="letter")
    note.attachment.save("letter.txt", ContentFile(LETTER), save=False)
    note.save()
    body = opened(export_bundle(hub, Peer.objects.get(node_id=lashio.node_id))[0], lashio)
    [[name, digest, size, packed]] = body["files"]
    assert (name, digest, packed) == (note.attachment.name, files.digest(LETTER), 1)
    assert size == len(body["file_bytes"]) < len(LETTER) // 20


def test_a_file_the_peer_holds_is_not_sent_again_unless_it_asks(hub, lashio) -> None:
    # Given a note with a file that Lashio has received (its vector says so)
    note = SyncNote(title="letter")
    note.attachment.save("letter.txt", ContentFile(LETTER), save=False)
    note.save()
    peer = Peer.objects.get(node_id=lashio.node_id)
    assert opened(export_bundle(hub, peer)[0], lashio)["files"] != []
    Peer.objects.filter(pk=peer.pk).update(known_vector=vectors.local_vector())
    # When the note is edited on the hub
    note.title = "letter (read)"
    note.save()
    peer.refresh_from_db()
    body = opened(export_bundle(hub, peer)[0], lashio)
    # Then the new version goes without the file
    assert [c["p"]["title"] for c in body["changes"] if c["m"] == "sync.syncnote"] == [
        "letter (read)"
    ]
    assert body["files"] == [] and body["file_bytes"] == b""
    # Unless Lashio says it never got the bytes
    Peer.objects.filter(pk=peer.pk).update(
        wanted_files={note.attachment.name: files.digest(LETTER)}
    )
    peer.refresh_from_db()
    assert [f[0] for f in opened(export_bundle(hub, peer)[0], lashio)["files"]] == [
        note.attachment.name
    ]


def test_equal_bytes_under_two_names_travel_once(hub, lashio, django_capture_on_commit_callbacks):
    names = []
    for title in ("first", "second"):
        note = SyncNote(title=title)
        note.attachment.save("letter.txt", ContentFile(LETTER), save=False)
        note.save()
        names.append(note.attachment.name)
    body = opened(export_bundle(hub, Peer.objects.get(node_id=lashio.node_id))[0], lashio)
    sizes = {name: size for name, _d, size, *_z in body["files"]}
    assert sorted(sizes) == sorted(names) and sorted(sizes.values())[0] == 0
    # And the receiver writes both from the one copy
    for name in names:
        sealed_storage.delete(name)
    with django_capture_on_commit_callbacks(execute=True):
        assert files.receive(body, body["changes"]) == 2
    for name in names:
        with sealed_storage.open(name) as fh:
            assert fh.read() == LETTER


def test_a_file_a_newer_version_drops_is_deleted_and_no_longer_asked_for(
    hub, django_capture_on_commit_callbacks
) -> None:
    note = SyncNote(title="letter")
    note.attachment.save("letter.txt", ContentFile(LETTER), save=False)
    note.save()
    name = note.attachment.name
    MissingFile.objects.create(name="elsewhere.sealed", digest="ab" * 32)
    held = forgetting.file_names(note) | {"elsewhere.sealed": sealed_storage}
    with django_capture_on_commit_callbacks(execute=True):
        dropped = forgetting.drop_files(held, {}, "default")
    assert sorted(dropped) == sorted([name, "elsewhere.sealed"])
    assert not sealed_storage.exists(name)
    assert MissingFile.objects.count() == 0
