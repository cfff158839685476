from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from pyithu.sync import bundles, canonical
from pyithu.sync.identity import b64
from pyithu.sync.models import ChangeLog, Peer, SyncNote, SyncProbe
from pyithu.sync.services import revoke_peer

from .conftest import Remote, probe_payload


@pytest.fixture
def hub_api(hub, monkeypatch):
    """The hub serving /api/sync/ with its identity unlocked."""
    monkeypatch.setattr("pyithu.sync.api.site_identity", lambda: hub)
    return Client()


def held_to_vector(held: set[tuple[str, int]]) -> tuple[dict, dict]:
    vector: dict[str, int] = {}
    extra: dict[str, list[list[int]]] = {}
    for origin in {o for o, _ in held}:
        counters = sorted(c for o, c in held if o == origin)
        prefix = 0
        while prefix + 1 in counters:
            prefix += 1
        vector[origin] = prefix
        extra[origin] = [[c, c] for c in counters if c > prefix]
    return vector, extra


def pull(client: Client, node: Remote, hub, held: set, chunk: int, signer: Remote | None = None):
    vector, extra = held_to_vector(held)
    body = canonical.dumps(
        {
            "from": node.node_id,
            "to": hub.node_id,
            "vector": vector,
            "extra": extra,
            "max_changes": chunk,
            "max_bytes": None,
            "at": int(time.time() * 1000),
        }
    )
    signature = b64((signer or node).identity.sign(body))
    return client.post(
        "/api/sync/pull", body, content_type="application/json", HTTP_X_PYITHU_SIGNATURE=signature
    )


def test_a_pull_comes_in_chunks_and_resumes_after_a_cut(hub, hub_api, lashio) -> None:
    # Given the hub holds answers (priority 10) and notes (priority 20)
    for i in range(4):
        SyncNote.objects.create(title=f"note {i}")
        SyncProbe.objects.create(topic=f"answer {i}")
    held: set[tuple[str, int]] = set()
    received: list[tuple[str, int]] = []
    # When Lashio pulls three changes at a time, and the link is cut after the second chunk
    # (the answer never arrives, so it is not applied)
    for attempt in range(100):
        response = pull(hub_api, lashio, hub, held, chunk=3)
        assert response.status_code == 200
        contents = bundles.open_body(bundles.read_envelope(response.content), lashio.identity)
        if attempt == 1:
            continue  # cut: this chunk is lost on the way
        if not contents["changes"]:
            break
        got = [(c["o"], c["n"]) for c in contents["changes"]]
        received += got
        held |= set(got)
    # Then Lashio got every change exactly once, none lost to the cut, urgent ones first
    # (the hub's own audit entries stay on the hub: they travel as withheld counters only)
    expected = {(c.origin, c.counter) for c in ChangeLog.objects.exclude(model="core.auditentry")}
    assert sorted(received) == sorted(expected)
    assert len(received) == len(set(received))
    ours = ChangeLog.objects.filter(model__startswith="sync.sync")
    probes_first = list(ours.order_by("priority", "hlc"))[:4]
    assert {c.model for c in probes_first} == {"sync.syncprobe"}


def test_a_pull_signed_by_another_key_is_refused(hub, hub_api, lashio, hakha) -> None:
    response = pull(hub_api, lashio, hub, set(), chunk=3, signer=hakha)
    assert response.status_code == 403
    assert response.json() == {"detail": "the pull request's signature is wrong"}
    assert Peer.objects.get(node_id=lashio.node_id).known_vector == {}


def test_a_revoked_node_cannot_pull(hub, hub_api, lashio) -> None:
    revoke_peer(lashio.node_id)
    response = pull(hub_api, lashio, hub, set(), chunk=3)
    assert response.status_code == 403
    assert response.json() == {"detail": f"the node {lashio.node_id} is not an active peer"}


def test_a_push_is_imported_and_answered_with_the_hubs_vector(hub, hub_api, lashio) -> None:
    blob = lashio.bundle(hub, [lashio.change("sync.syncprobe", probe_payload("answer", "rest"))])
    response = hub_api.post("/api/sync/push", blob, content_type="application/octet-stream")
    assert response.status_code == 200
    assert response.json()["new"] == 1
    assert response.json()["vector"][lashio.node_id] == 1
    assert SyncProbe.objects.get().body == "rest"


def test_a_damaged_push_is_refused_with_the_reason(hub, hub_api, lashio) -> None:
    blob = lashio.bundle(hub, [lashio.change("sync.syncprobe", probe_payload("answer"))])
    response = hub_api.post("/api/sync/push", blob[:-10], content_type="application/octet-stream")
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "detail": "the bundle is truncated or damaged (its length is wrong)"
    }
    assert SyncProbe.objects.count() == 0
