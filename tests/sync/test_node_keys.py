"""A seized node reveals nothing: its sealing keys are locked by the operator passphrase, held
only in memory once unlocked, and `node wipe` destroys them with the identity (0056)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import nacl.pwhash
import pytest
from django.core.files.base import ContentFile
from django.db import connection

from pyithu.accounts.models import User
from pyithu.core import sealing
from pyithu.core.fields import SealedFileStorage
from pyithu.geo.models import Township
from pyithu.health.models import Consultation
from pyithu.health.services.booking import Booking, book_consultation
from pyithu.sync import node_keys
from pyithu.sync.models import ChangeLog
from pyithu.sync.services import init_node, wipe_node
from pyithu.sync.unlock import forget_identity

PASS = "monsoon tea 2026 lashio"
FAST = {
    "opslimit": nacl.pwhash.argon2id.OPSLIMIT_MIN,
    "memlimit": nacl.pwhash.argon2id.MEMLIMIT_MIN,
}
# What a raid must never find on the Lashio node.
SECRET_NAME = "Daw Nwe Nwe Aye"
SECRET_SYMPTOMS = "ချောင်းဆိုးပြီး အဖျားရှိသည် three days"
SECRET_CONTACT = "09-4455-66778"
SECRET_FILE = b"exam answer sheet of Ko Zaw Min, grade 10"


@pytest.fixture
def lashio_node(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test process is the Lashio node: its own key file, role node, no passphrase yet."""
    settings.PYITHU_KEY_FILE = tmp_path / "keys.json"
    settings.PYITHU_KEYS_JSON = ""
    monkeypatch.setenv("PYITHU_SYNC_ROLE", "node")
    monkeypatch.setenv("PYITHU_NODE_KEY_FILE", str(tmp_path / "node_key.json"))
    monkeypatch.delenv("PYITHU_NODE_PASSPHRASE", raising=False)
    monkeypatch.delenv("PYITHU_NODE_PASSPHRASE_FILE", raising=False)
    monkeypatch.delenv("PYITHU_NODE_PASSPHRASE_FD", raising=False)
    forget_identity()
    yield tmp_path
    forget_identity()


def initialise(monkeypatch: pytest.MonkeyPatch, base: Path) -> None:
    monkeypatch.setenv("PYITHU_NODE_PASSPHRASE", PASS)
    init_node(base / "node_key.json", PASS, **FAST)


def restart(monkeypatch: pytest.MonkeyPatch, passphrase: str | None) -> None:
    """A new process: nothing unlocked in memory, the passphrase given (or not) again."""
    forget_identity()
    if passphrase is None:
        monkeypatch.delenv("PYITHU_NODE_PASSPHRASE", raising=False)
    else:
        monkeypatch.setenv("PYITHU_NODE_PASSPHRASE", passphrase)


def test_node_init_locks_the_sealing_keys_with_the_passphrase(
    db: Any, lashio_node: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the operator sets up the Lashio node
    initialise(monkeypatch, lashio_node)
    ring = sealing.keyring()
    sealed = sealing.seal_text(SECRET_NAME)
    # Then the key file holds no key in a readable form, only the lock's salt and limits
    raw = (lashio_node / "keys.json").read_text()
    data = json.loads(raw)
    assert sorted(data) == ["format", "kdf", "locked"]
    assert data["format"] == "pyithu-locked-keys-1"
    assert data["kdf"]["alg"] == "argon2id"
    assert base64.b64encode(ring.keys[1]).decode() not in raw
    assert base64.b64encode(ring.digest_key).decode() not in raw
    # And after a restart without the passphrase nothing sealed can be read
    restart(monkeypatch, None)
    with pytest.raises(node_keys.NodeLocked) as locked:
        sealing.unseal_text(sealed)
    assert str(locked.value).startswith("this node is locked: give the operator passphrase")
    # And a wrong passphrase opens nothing
    restart(monkeypatch, "monsoon tea 2025 lashio")
    with pytest.raises(node_keys.NodeLocked) as wrong:
        sealing.unseal_text(sealed)
    assert str(wrong.value) == "wrong passphrase for this node's sealing keys"
    # And the right one opens the same ring
    restart(monkeypatch, PASS)
    assert sealing.unseal_text(sealed) == SECRET_NAME
    assert sealing.keyring() == ring


def test_a_plain_key_file_is_locked_in_place_and_what_it_sealed_stays_readable(
    db: Any, lashio_node: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a laptop that ran as a plain site before it became the Lashio node
    plain = sealing.KeyRing({1: sealing.new_key()}, 1, sealing.new_key())
    sealing.write_plain_keyring(plain, lashio_node / "keys.json")
    monkeypatch.setenv("PYITHU_SYNC_ROLE", "hub")
    sealing.reset_keyring()
    sealed = sealing.seal_text(SECRET_CONTACT)
    code = sealing.digest("health-booking", "abcd")
    # When the operator makes it a node
    monkeypatch.setenv("PYITHU_SYNC_ROLE", "node")
    initialise(monkeypatch, lashio_node)
    # Then the key file is locked, and old sealed values and digests still work
    raw = (lashio_node / "keys.json").read_text()
    assert json.loads(raw)["format"] == "pyithu-locked-keys-1"
    assert base64.b64encode(plain.keys[1]).decode() not in raw
    restart(monkeypatch, PASS)
    assert sealing.unseal_text(sealed) == SECRET_CONTACT
    assert sealing.digest("health-booking", "abcd") == code


def test_new_keys_on_a_node_are_stored_locked_again(
    db: Any, lashio_node: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an unlocked node
    initialise(monkeypatch, lashio_node)
    ring = sealing.keyring()
    # When a key is added (what `pyithu rotate-keys` does through write_keyring)
    rotated = sealing.KeyRing({**ring.keys, 2: sealing.new_key()}, 2, ring.digest_key)
    sealing.write_keyring(rotated, Path(lashio_node / "keys.json"))
    sealing.reset_keyring()
    # Then the file stays locked, and the next process opens version 2 with the passphrase
    raw = (lashio_node / "keys.json").read_text()
    assert json.loads(raw)["format"] == "pyithu-locked-keys-1"
    assert base64.b64encode(rotated.keys[2]).decode() not in raw
    restart(monkeypatch, PASS)
    assert sealing.keyring() == rotated


def test_the_hub_keeps_its_plain_key_file(
    db: Any, lashio_node: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a hub (the default role)
    monkeypatch.setenv("PYITHU_SYNC_ROLE", "hub")
    sealing.reset_keyring()
    # When it seals something, it makes and uses today's key file, no passphrase asked
    sealed = sealing.seal_text(SECRET_NAME)
    data = json.loads((lashio_node / "keys.json").read_text())
    assert sorted(data) == ["current", "digest_key", "keys"]
    assert node_keys.load() is None
    assert sealing.unseal_text(sealed) == SECRET_NAME


def test_a_node_refuses_keys_given_in_the_environment(
    db: Any, lashio_node: Path, settings: Any
) -> None:
    settings.PYITHU_KEYS_JSON = sealing.KeyRing({1: sealing.new_key()}, 1, b"k" * 32).to_json()
    sealing.reset_keyring()
    with pytest.raises(node_keys.NodeLocked, match="unset PYITHU_KEYS"):
        sealing.seal_text(SECRET_NAME)


def dump_database() -> str:
    """Every row of every table, as a thief with the database file would read it."""
    lines = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            lines += [f"{table}: {row!r}" for row in cursor.fetchall()]
    return "\n".join(lines)


def test_a_wiped_node_keeps_its_rows_but_nothing_sealed_can_be_read(
    db: Any, lashio_node: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the Lashio node holding a staff name, a booking and a sealed answer sheet
    initialise(monkeypatch, lashio_node)
    User.objects.create_user("ko-thura", "staff pass phrase 1", display_name=SECRET_NAME)
    consultation, _code = book_consultation(
        Booking(
            symptoms=SECRET_SYMPTOMS,
            age_band="40-59",
            sex="female",
            language="my",
            township=Township.objects.get(pcode="MMR015001"),
            contact_channel="phone",
            contact=SECRET_CONTACT,
        )
    )
    storage = SealedFileStorage(location=str(lashio_node / "sealed"))
    sheet = storage.save("sheet.txt", ContentFile(SECRET_FILE))
    assert Consultation.objects.get().symptoms == SECRET_SYMPTOMS
    changes = ChangeLog.objects.count()
    # When the operator wipes it as soldiers arrive
    destroyed = wipe_node(include_sealing_keys=True)
    # Then both key files are gone
    assert destroyed == [str(lashio_node / "keys.json"), str(lashio_node / "node_key.json")]
    assert sorted(p.name for p in lashio_node.iterdir()) == ["sealed"]
    # And the rows are still there, but nothing sealed can be read, even with the passphrase
    restart(monkeypatch, PASS)
    assert Consultation.objects.filter(pk=consultation.pk).exists()
    assert ChangeLog.objects.count() == changes
    with pytest.raises(node_keys.NodeLocked, match="this node has no sealing keys"):
        Consultation.objects.get()
    with pytest.raises(node_keys.NodeLocked):
        User.objects.get(handle="ko-thura")
    with pytest.raises(node_keys.NodeLocked):
        storage.open(sheet)
    # And no secret appears anywhere in a dump of the database or in the files
    dump = dump_database()
    assert "ko-thura" in dump and "sealed:1:" in dump
    for secret in (SECRET_NAME, SECRET_SYMPTOMS, SECRET_CONTACT):
        assert secret not in dump
    assert SECRET_FILE not in (lashio_node / "sealed" / sheet).read_bytes()
