"""One lookup key for the federation (0057): the hub hands its digest key to a node inside its
bundles; the node keeps it in its locked key ring and keys shared lookups with it. The full
round trip (a booking code made on the node found on the hub, an exam code made on the hub
opening the sitting on the node) is in ``test_walkthrough.py``."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import nacl.encoding
import nacl.hash
import pytest

from pyithu.core import sealing
from pyithu.sync import bundles, node_keys
from pyithu.sync.bundles import BundleError
from pyithu.sync.exchange import export_bundle
from pyithu.sync.identity import Identity
from pyithu.sync.importing import _learn_lookup_key
from pyithu.sync.models import Peer
from pyithu.sync.services import register_peer
from tests.sync.test_node_keys import initialise, lashio_node  # noqa: F401

HUB_KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def keyed(key: bytes, purpose: str, value: str) -> str:
    person = purpose.encode().ljust(16, b"\0")
    return nacl.hash.blake2b(
        value.encode(), key=key, person=person, digest_size=32, encoder=nacl.encoding.HexEncoder
    ).decode()


def test_the_hub_keys_every_digest_with_its_own_key_as_before(settings: Any) -> None:
    # Given the hub's ring (no lookup key): shared and local purposes alike use its digest key
    ring = sealing.keyring()
    assert ring.lookup_key is None
    assert sealing.digest("health-booking", "K7Q2-9XMA") == keyed(
        ring.digest_key, "health-booking", "K7Q2-9XMA"
    )
    assert sealing.digest("login-handle", "ko-thura") == keyed(
        ring.digest_key, "login-handle", "ko-thura"
    )
    # And the ring written to JSON has no lookup key entry
    assert "lookup_key" not in ring.to_json()


def test_a_node_keys_shared_lookups_with_the_hubs_key_and_its_own_for_the_rest(
    db: Any,
    lashio_node: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the Lashio node, initialised, with its own digest key
    initialise(monkeypatch, lashio_node)
    own = sealing.keyring().digest_key
    hub = Peer(node_id="n" + "0" * 20, name="Naypyitaw hub", role=Peer.Role.HUB)
    # When the hub's bundle hands it the lookup key
    _learn_lookup_key(hub, {"lookup_key": base64.b64encode(HUB_KEY).decode()})
    # Then booking and exam codes are keyed with the hub's key, logins with the node's own
    assert sealing.digest("health-booking", "K7Q2-9XMA") == keyed(
        HUB_KEY, "health-booking", "K7Q2-9XMA"
    )
    assert sealing.digest("exam-code", "ABCD2345") == keyed(HUB_KEY, "exam-code", "ABCD2345")
    assert sealing.digest("login-handle", "ko-thura") == keyed(own, "login-handle", "ko-thura")
    # And the key is kept in the passphrase-locked ring, never in clear on disk
    path = node_keys.key_file()
    assert node_keys.is_locked_file(path)
    assert base64.b64encode(HUB_KEY).decode() not in path.read_text()
    # And it survives a restart (unlocked again with the passphrase)
    node_keys.forget()
    assert sealing.keyring().lookup_key == HUB_KEY
    # When a bundle claiming to be from the hub brings another key, it is refused
    with pytest.raises(BundleError, match="sends another lookup key than the one this node"):
        _learn_lookup_key(hub, {"lookup_key": base64.b64encode(OTHER_KEY).decode()})
    # And a damaged one is refused too
    with pytest.raises(BundleError, match="the hub's lookup key is damaged"):
        _learn_lookup_key(hub, {"lookup_key": "bm90IGEga2V5"})
    # And nothing changed
    assert sealing.keyring().lookup_key == HUB_KEY
    # And another node (not a hub) cannot hand a key at all
    node_peer = Peer(node_id="n" + "1" * 20, name="Hakha point", role=Peer.Role.NODE)
    _learn_lookup_key(node_peer, {"lookup_key": base64.b64encode(OTHER_KEY).decode()})
    assert sealing.keyring().lookup_key == HUB_KEY


def test_the_hub_seals_its_lookup_key_into_bundles_for_nodes_only(hub: Identity) -> None:
    # Given the hub with the Lashio node and another hub registered
    lashio = Identity.generate()
    other_hub = Identity.generate()
    register_peer(lashio.card, "Lashio point", scope={"townships": ["MMR015001"]})
    register_peer(other_hub.card, "Mandalay hub", role="hub")
    # When it exports to each
    to_node, _n = export_bundle(hub, Peer.objects.get(name="Lashio point"))
    to_hub, _n = export_bundle(hub, Peer.objects.get(name="Mandalay hub"))
    # Then only the node's bundle carries the key (readable only with the node's box key)
    node_contents = bundles.open_body(bundles.read_envelope(to_node), lashio)
    hub_contents = bundles.open_body(bundles.read_envelope(to_hub), other_hub)
    assert base64.b64decode(node_contents["lookup_key"]) == sealing.keyring().digest_key
    assert "lookup_key" not in hub_contents
    assert sealing.keyring().digest_key not in to_node
