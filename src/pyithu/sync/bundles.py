"""Bundles: the one format for USB sticks and HTTP.

Layout (all lengths big-endian)::

    b"PYSB1" | u32 header length | header JSON | u32 body length | body | Ed25519 signature (64)

header  canonical JSON ``{"from": sender id, "to": recipient id, "id": bundle id}``, in clear so a
        relay can route the bundle and check who sent it without reading it.
body    nacl SealedBox to the recipient's X25519 key of zlib(canonical JSON of the contents:
        the same from/to/id, the sender's version vector, the changes, and from a hub its peer
        directory). Sealed fields travel in clear *inside* this box and are sealed again under
        the recipient's key ring when it saves them.
signature  the sender's, over everything before it (encrypt-then-sign: a relay can verify it).

Changes also carry their origin's signatures (one per segment of up to 64 changes, see
``segments``), so data relayed over several hops is checked against the node that made it, not
only against the last carrier.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.public
import nacl.signing

from pyithu.sync import canonical
from pyithu.sync.identity import Identity, unb64
from pyithu.sync.models import ChangeLog, Peer

MAGIC = b"PYSB1"
SIGNATURE_BYTES = 64
MAX_BUNDLE_BYTES = 512 * 1024 * 1024


class BundleError(Exception):
    """A bundle was refused; the message says why, and nothing was changed."""


def change_wire(change: ChangeLog) -> dict[str, Any]:
    """A change as it travels (and is signed). The record id is given once, in the payload,
    unless the payload has no ``id`` of its own."""
    payload = json.loads(change.payload)
    wire: dict[str, Any] = {
        "o": change.origin,
        "n": change.counter,
        "h": change.hlc,
        "m": change.model,
        "b": [change.base_hlc, change.base_origin] if change.base_hlc is not None else None,
        "p": payload,
    }
    if str(payload.get("id")) != change.object_id:
        wire["k"] = change.object_id
    return wire


def object_id(wire: dict[str, Any]) -> str:
    return str(wire.get("k") or wire["p"]["id"])


def seal(identity: Identity, recipient: Peer, contents: dict[str, Any]) -> bytes:
    header = canonical.dumps(
        {"from": identity.node_id, "to": recipient.node_id, "id": contents["id"]}
    )
    box = nacl.public.SealedBox(nacl.public.PublicKey(unb64(recipient.box_key)))
    body = box.encrypt(zlib.compress(canonical.dumps(contents), 9))
    framed = MAGIC + struct.pack(">I", len(header)) + header + struct.pack(">I", len(body)) + body
    return framed + identity.sign(framed)


@dataclass(frozen=True)
class Envelope:
    sender: str
    recipient: str
    bundle_id: str
    framed: bytes
    signature: bytes
    body: bytes


def read_envelope(blob: bytes) -> Envelope:
    """Parse the frame; refuse anything truncated, padded or not a bundle."""
    if not blob.startswith(MAGIC):
        raise BundleError("not a Pyithu sync bundle")
    try:
        offset = len(MAGIC)
        (header_len,) = struct.unpack_from(">I", blob, offset)
        offset += 4
        header = json.loads(blob[offset : offset + header_len])
        offset += header_len
        (body_len,) = struct.unpack_from(">I", blob, offset)
        offset += 4
    except (struct.error, ValueError, UnicodeDecodeError):
        raise BundleError("the bundle is truncated or damaged") from None
    end = offset + body_len
    if len(blob) != end + SIGNATURE_BYTES:
        raise BundleError("the bundle is truncated or damaged (its length is wrong)")
    if not isinstance(header, dict) or not all(
        isinstance(header.get(k), str) for k in ("from", "to", "id")
    ):
        raise BundleError("the bundle header is damaged")
    return Envelope(
        header["from"], header["to"], header["id"], blob[:end], blob[end:], blob[offset:end]
    )


def verify_sender(envelope: Envelope, peer: Peer) -> None:
    try:
        nacl.signing.VerifyKey(unb64(peer.verify_key)).verify(envelope.framed, envelope.signature)
    except (nacl.exceptions.BadSignatureError, ValueError):
        raise BundleError(
            f"the bundle's signature does not match sender {peer.name}: it was altered"
        ) from None


def open_body(envelope: Envelope, identity: Identity) -> dict[str, Any]:
    try:
        plain = nacl.public.SealedBox(identity.box_key).decrypt(envelope.body)
        contents = json.loads(zlib.decompress(plain))
    except (nacl.exceptions.CryptoError, zlib.error, ValueError):
        raise BundleError("the bundle cannot be decrypted: it is damaged") from None
    if not isinstance(contents, dict) or (
        contents.get("from"),
        contents.get("to"),
        contents.get("id"),
    ) != (envelope.sender, envelope.recipient, envelope.bundle_id):
        raise BundleError("the bundle's sealed contents do not match its header")
    if not isinstance(contents.get("changes"), list):
        raise BundleError("the bundle's contents are damaged")
    return contents
