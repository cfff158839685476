"""HTTP transport: the same bundles, in chunks, with the version vector as the resume cursor.

pull  the node POSTs a signed request ``{"from", "to", "vector", "max_changes", "max_bytes",
      "at"}`` (header ``X-Pyithu-Signature``: Ed25519 over the body). The hub records the vector
      as what the node holds (which also acknowledges earlier chunks) and answers with a bundle
      of at most ``max_changes`` changes the node lacks, most urgent first. The node imports it
      (one transaction per chunk) and asks again with its new vector until a chunk is empty.
push  the node POSTs bundles addressed to the hub, one chunk at a time; the hub imports each
      and answers with its vector, which the node keeps as the hub's known vector.

A cut between chunks loses nothing and restarts nothing: every chunk is applied whole or not at
all, and the next request starts from the vector, i.e. from what the other side really holds.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import nacl.exceptions
import nacl.signing

from pyithu.sync import canonical, vectors
from pyithu.sync.bundles import BundleError
from pyithu.sync.exchange import export_bundle, import_bundle
from pyithu.sync.identity import Identity, b64, unb64
from pyithu.sync.models import Peer

CHUNK_CHANGES = 2000
MAX_REQUEST_AGE_MS = 15 * 60 * 1000
Post = Callable[[str, bytes, dict[str, str]], tuple[int, dict[str, str], bytes]]


class TransportError(Exception):
    """The link failed or the other side refused; nothing half-applied is left behind."""


def signed_pull(identity: Identity, hub: Peer, byte_cap: int | None, chunk: int) -> bytes:
    vector = vectors.local_vector()
    return canonical.dumps(
        {
            "from": identity.node_id,
            "to": hub.node_id,
            "vector": vector,
            "extra": vectors.held_beyond(vector),
            "max_changes": chunk,
            "max_bytes": byte_cap,
            "at": int(time.time() * 1000),
        }
    )


def verify_pull(body: bytes, signature: str, me: str) -> tuple[Peer, dict[str, Any]]:
    """The peer asking and what it asks for; raises BundleError with the reason to refuse."""
    try:
        request = json.loads(body)
        sender = str(request["from"])
    except (ValueError, KeyError, TypeError):
        raise BundleError("the pull request is malformed") from None
    peer = Peer.objects.filter(node_id=sender).first()
    if peer is None or peer.revoked_at is not None:
        raise BundleError(f"the node {sender} is not an active peer")
    try:
        nacl.signing.VerifyKey(unb64(peer.verify_key)).verify(body, unb64(signature))
    except (nacl.exceptions.BadSignatureError, ValueError):
        raise BundleError("the pull request's signature is wrong") from None
    if request.get("to") != me:
        raise BundleError("the pull request is meant for another hub")
    if abs(int(time.time() * 1000) - int(request.get("at") or 0)) > MAX_REQUEST_AGE_MS:
        raise BundleError("the pull request is too old or from the future: check the clock")
    return peer, request


def answer_pull(identity: Identity, body: bytes, signature: str) -> tuple[bytes, int]:
    peer, request = verify_pull(body, signature, identity.node_id)
    peer.known_vector = vectors.merged(
        vectors.clean(peer.known_vector), vectors.clean(request.get("vector"))
    )
    peer.known_extra = vectors.clean_extras(request.get("extra"))
    peer.save(update_fields=["known_vector", "known_extra"])
    chunk = min(max(int(request.get("max_changes") or CHUNK_CHANGES), 1), CHUNK_CHANGES)
    cap = request.get("max_bytes")
    return export_bundle(
        identity, peer, max_changes=chunk, byte_cap=int(cap) if isinstance(cap, int) else None
    )


def urllib_post(
    url: str, body: bytes, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()
    except (urllib.error.URLError, OSError) as exc:
        raise TransportError(f"the link to the hub failed: {exc}") from exc


def pull(
    url: str,
    identity: Identity,
    hub: Peer,
    *,
    byte_cap: int | None = None,
    chunk: int = CHUNK_CHANGES,
    post: Post = urllib_post,
) -> int:
    """Pull chunks until the hub has nothing more (or one capped chunk); new changes applied."""
    received = 0
    while True:
        body = signed_pull(identity, hub, byte_cap, chunk)
        headers = {
            "Content-Type": "application/json",
            "X-Pyithu-Signature": b64(identity.sign(body)),
        }
        status, _headers, blob = post(url.rstrip("/") + "/api/sync/pull", body, headers)
        if status != 200:
            raise TransportError(f"the hub refused the pull ({status}): {_message(blob)}")
        report = import_bundle(blob, identity)
        received += report.new
        if report.received == 0 or byte_cap is not None:
            return received


def push(
    url: str,
    identity: Identity,
    hub: Peer,
    *,
    byte_cap: int | None = None,
    chunk: int = CHUNK_CHANGES,
    post: Post = urllib_post,
) -> int:
    """Push chunks until the hub holds everything we have (or one capped chunk)."""
    sent = 0
    while True:
        hub.refresh_from_db()
        blob, count = export_bundle(identity, hub, max_changes=chunk, byte_cap=byte_cap)
        if count == 0:
            return sent
        headers = {"Content-Type": "application/octet-stream"}
        status, _headers, answer = post(url.rstrip("/") + "/api/sync/push", blob, headers)
        if status != 200:
            raise TransportError(f"the hub refused the push ({status}): {_message(answer)}")
        held = json.loads(answer)
        vector = vectors.clean(held.get("vector"))
        hub.known_vector = vectors.merged(vectors.clean(hub.known_vector), vector)
        hub.known_extra = vectors.clean_extras(held.get("extra"))
        hub.save(update_fields=["known_vector", "known_extra"])
        sent += count
        if byte_cap is not None:
            return sent


def _message(blob: bytes) -> str:
    try:
        return str(json.loads(blob).get("detail", ""))[:300]
    except (ValueError, AttributeError):
        return blob[:300].decode("utf-8", "replace")
