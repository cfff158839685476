from __future__ import annotations

import stat
from pathlib import Path

import nacl.pwhash
import pytest

from pyithu.sync.identity import Identity, IdentityError, read_card, unlock_identity, write_identity
from pyithu.sync.services import init_node, wipe_node

PASS = "monsoon tea 2026 lashio"
FAST = {
    "opslimit": nacl.pwhash.argon2id.OPSLIMIT_MIN,
    "memlimit": nacl.pwhash.argon2id.MEMLIMIT_MIN,
}


def test_node_init_locks_the_keys_with_the_passphrase(db, tmp_path: Path) -> None:
    # Given an operator setting up the Lashio node
    path = tmp_path / "node_key.json"
    # When the identity is created
    identity = init_node(path, PASS, **FAST)
    # Then the file is owner-only, its public card is readable without the passphrase,
    # and the secret keys are not in it in any readable form
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_card(path) == identity.card
    raw = path.read_bytes()
    assert bytes(identity.signing_key).hex().encode() not in raw
    assert identity.card.verify_key.encode() in raw
    # And the right passphrase unlocks the same identity
    assert unlock_identity(path, PASS).node_id == identity.node_id


def test_a_wrong_passphrase_unlocks_nothing(db, tmp_path: Path) -> None:
    # Given a node identity
    path = tmp_path / "node_key.json"
    init_node(path, PASS, **FAST)
    # When someone who seized the laptop guesses
    with pytest.raises(IdentityError) as refused:
        unlock_identity(path, "monsoon tea 2025 lashio")
    # Then they are refused
    assert str(refused.value) == "wrong passphrase for the node identity"


def test_a_short_passphrase_or_an_existing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "node_key.json"
    with pytest.raises(IdentityError, match="at least 12 characters"):
        write_identity(Identity.generate(), path, "short", **FAST)
    assert not path.exists()
    write_identity(Identity.generate(), path, PASS, **FAST)
    before = path.read_bytes()
    with pytest.raises(IdentityError, match="already exists"):
        write_identity(Identity.generate(), path, PASS, **FAST)
    assert path.read_bytes() == before


def test_wipe_destroys_the_identity_at_once(db, tmp_path: Path, monkeypatch) -> None:
    # Given a node with an identity
    path = tmp_path / "node_key.json"
    monkeypatch.setenv("PYITHU_NODE_KEY_FILE", str(path))
    init_node(path, PASS, **FAST)
    # When the operator wipes it (without the sealing keys, which the test suite shares)
    destroyed = wipe_node(include_sealing_keys=False)
    # Then the file is gone and nothing can be unlocked
    assert destroyed == [str(path)]
    assert not path.exists()
    with pytest.raises(IdentityError, match="no node identity"):
        unlock_identity(path, PASS)
