"""Sync fixtures: this test database is one site (the hub, "Naypyitaw hub"); remote nodes are
in-memory identities whose changes and bundles are built here and signed with their own keys.
Multi-site tests with separate databases and key rings live in ``test_sites.py``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from pyithu.core.ids import new_id
from pyithu.sync import bundles, canonical, hlc, segments
from pyithu.sync.exchange import claim_origin
from pyithu.sync.identity import Identity
from pyithu.sync.models import Peer
from pyithu.sync.services import register_peer
from tests.education.classroom import (  # noqa: F401  (a class to enrol in, for link tests)
    aung,
    course,
    section,
    su,
    thida,
    university,
)


class Remote:
    """A node elsewhere: it makes changes, signs them and seals bundles to us."""

    known: dict[str, Remote] = {}

    def __init__(self, name: str) -> None:
        self.name = name
        self.identity = Identity.generate()
        Remote.known[self.identity.node_id] = self
        self.counter = 0
        self.clock = 0

    @property
    def node_id(self) -> str:
        return self.identity.node_id

    def change(
        self,
        model: str,
        payload: dict[str, Any],
        *,
        base: list[Any] | None = None,
        at_ms: int | None = None,
    ) -> dict[str, Any]:
        self.counter += 1
        self.clock = hlc.tick(self.clock, at_ms)
        return {
            "o": self.node_id,
            "n": self.counter,
            "h": self.clock,
            "m": model,
            "b": base,
            "p": json.loads(canonical.dumps(payload)),
        }

    def bundle(
        self,
        to: Identity,
        changes: list[dict[str, Any]],
        vector: dict[str, int] | None = None,
        after_signing: Callable[[list[dict[str, Any]]], None] | None = None,
    ) -> bytes:
        """Changes grouped in one segment per origin, each signed by its origin's key."""
        origins = sorted({c["o"] for c in changes})
        signed_segments, wires = [], []
        for index, origin in enumerate(origins):
            mine = [c for c in changes if c["o"] == origin]
            ranges, signature = segments.sign(Remote.known[origin].identity, mine)
            signed_segments.append({"o": origin, "c": ranges, "s": signature})
            wires += [{**c, "g": index} for c in mine]
        if after_signing:
            after_signing(wires)
        recipient = Peer(node_id=to.node_id, box_key=to.card.box_key)
        contents = {
            "from": self.node_id,
            "to": to.node_id,
            "id": str(new_id()),
            "vector": vector or {},
            "segments": signed_segments,
            "changes": wires,
        }
        return bundles.seal(self.identity, recipient, contents)


def note_payload(note_id: str, title: str, body: str = "", status: str = "") -> dict[str, Any]:
    now = "2026-11-20T08:00:00+00:00"
    return {
        "id": note_id,
        "created_at": now,
        "updated_at": now,
        "title": title,
        "body": body,
        "status": status,
    }


def probe_payload(topic: str, body: str = "") -> dict[str, Any]:
    now = "2026-11-20T08:00:00+00:00"
    return {"id": str(new_id()), "created_at": now, "updated_at": now, "topic": topic, "body": body}


@pytest.fixture(autouse=True)
def _fresh_node_id_cache() -> Any:
    """Each test's database starts without an identity; forget the last test's node id."""
    from pyithu.sync.tracking import forget_node_id

    forget_node_id()
    yield
    forget_node_id()


@pytest.fixture
def hub(db: Any) -> Identity:
    """This site: the hub's identity (held in memory; the file is tested in test_identity)."""
    identity = Identity.generate()
    claim_origin(identity)
    return identity


@pytest.fixture
def make_remote(hub: Identity) -> Callable[..., Remote]:
    def make(name: str, revoked: bool = False) -> Remote:
        remote = Remote(name)
        peer = register_peer(remote.identity.card, name, scope={"townships": ["MMR001001"]})
        if revoked:
            from pyithu.sync.services import revoke_peer

            revoke_peer(peer.node_id)
        return remote

    return make


@pytest.fixture
def lashio(make_remote: Callable[..., Remote]) -> Remote:
    """The Lashio township node."""
    return make_remote("Lashio point")


@pytest.fixture
def hakha(make_remote: Callable[..., Remote]) -> Remote:
    """The Hakha township node."""
    return make_remote("Hakha point")
