"""Bundles: the one format for USB sticks and HTTP.

Layout (all lengths big-endian)::

    b"PYSB1" | u32 header length | header JSON | u32 body length | body | Ed25519 signature (64)

header  canonical JSON ``{"from": sender id, "to": recipient id, "id": bundle id}``, in clear so a
        relay can route the bundle and check who sent it without reading it.
body    nacl SealedBox to the recipient's X25519 key of: u32 length | zstd(canonical JSON of the
        contents: the same from/to/id, the sender's version vector, the changes in columns (see
        ``encode_changes``), and from a hub its peer directory) | the bytes of the files listed
        in the contents, one after another. Sealed fields and files travel in clear *inside*
        this box and are sealed again under the recipient's key ring when it saves them.
signature  the sender's, over everything before it (encrypt-then-sign: a relay can verify it).

Changes also carry their origin's signatures (one per segment of up to 64 changes, see
``segments``), so data relayed over several hops is checked against the node that made it, not
only against the last carrier.
"""

from __future__ import annotations

import io
import json
import struct
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.public
import nacl.signing
import zstandard

from pyithu.sync import canonical
from pyithu.sync.identity import Identity, unb64
from pyithu.sync.models import ChangeLog, Peer

MAGIC = b"PYSB2"
SIGNATURE_BYTES = 64
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
MAX_CONTENTS_BYTES = 1024 * 1024 * 1024
ZSTD_LEVEL = 19


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
    if payload is None or str(payload.get("id")) != change.object_id:
        wire["k"] = change.object_id
    return wire


def object_id(wire: dict[str, Any]) -> str:
    return str(wire.get("k") or wire["p"]["id"])


def encode_changes(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Changes as compact tables: one per model and payload shape, field names given once,
    rows of ``[segment, counter delta, wall-ms delta, logical, base, key, *values]``.

    The origin is the segment's. Decoding gives back exactly the wires that were signed
    (tables in order of first appearance; rows in a table by origin and counter, so their
    counter deltas are mostly 1).
    """
    grouped: dict[tuple[str, tuple[str, ...] | None], list[dict[str, Any]]] = {}
    for wire in changes:
        fields = None if wire["p"] is None else tuple(sorted(wire["p"]))
        grouped.setdefault((wire["m"], fields), []).append(wire)
    tables = []
    for (model, fields), wires in grouped.items():
        rows, counter, wall = [], 0, 0
        for wire in sorted(wires, key=lambda w: (w["o"], w["n"])):
            stamp, logical = wire["h"] >> 16, wire["h"] & 0xFFFF
            row = [wire["g"], wire["n"] - counter, stamp - wall, logical, wire["b"], wire.get("k")]
            if fields is not None:
                row += [wire["p"][f] for f in fields]
            counter, wall = wire["n"], stamp
            rows.append(row)
        tables.append({"m": model, "f": fields and list(fields), "r": rows})
    return tables


def decode_changes(tables: Any, segment_origins: list[str]) -> list[dict[str, Any]]:
    """The signed wires back from ``encode_changes`` (ValueError when malformed)."""
    if not isinstance(tables, list):
        raise ValueError("the change tables are malformed")
    wires = []
    for table in tables:
        fields, counter, wall = table["f"], 0, 0
        for row in table["r"]:
            g, dn, dw, logical, base, key = row[:6]
            counter, wall = counter + dn, wall + dw
            wire = {
                "o": segment_origins[g],
                "n": counter,
                "h": (wall << 16) | logical,
                "m": table["m"],
                "b": base,
                "p": None if fields is None else dict(zip(fields, row[6:], strict=True)),
                "g": g,
            }
            if key is not None:
                wire["k"] = key
            wires.append(wire)
    return wires


def encode_ranges(raw_segments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Segments with their counter ranges as deltas (``"d"``): each bound from the previous one
    of the same origin, so a week of counters costs a few small numbers, not many large ones."""
    last: dict[str, int] = {}
    out = []
    for raw in raw_segments:
        previous = last.get(raw["o"], 0)
        flat: list[int] = []
        for low, high in raw["c"]:
            flat += [low - previous, high - low]
            previous = high
        last[raw["o"]] = previous
        out.append({k: v for k, v in raw.items() if k != "c"} | {"d": flat})
    return out


def decode_ranges(raw_segments: Any) -> list[dict[str, Any]]:
    """The signed ranges back from ``encode_ranges`` (ValueError when malformed)."""
    if not isinstance(raw_segments, list):
        raise ValueError("the segments are malformed")
    last: dict[str, int] = {}
    out = []
    for raw in raw_segments:
        flat = raw.pop("d", None)
        if flat is None:
            out.append(raw)
            continue
        if not isinstance(flat, list) or len(flat) % 2 or not all(type(x) is int for x in flat):
            raise ValueError("a segment's ranges are malformed")
        previous = last.get(str(raw.get("o")), 0)
        ranges = []
        for i in range(0, len(flat), 2):
            low = previous + flat[i]
            previous = low + flat[i + 1]
            ranges.append([low, previous])
        last[str(raw.get("o"))] = previous
        out.append(raw | {"c": ranges})
    return out


def seal(
    identity: Identity,
    recipient: Peer,
    contents: dict[str, Any],
    files: list[bytes] | None = None,
) -> bytes:
    header = canonical.dumps(
        {"from": identity.node_id, "to": recipient.node_id, "id": contents["id"]}
    )
    packed_contents = {k: v for k, v in contents.items() if k != "changes"}
    packed_contents["segments"] = encode_ranges(contents.get("segments") or [])
    packed_contents["tables"] = encode_changes(contents.get("changes") or [])
    box = nacl.public.SealedBox(nacl.public.PublicKey(unb64(recipient.box_key)))
    packed = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(canonical.dumps(packed_contents))
    plain = struct.pack(">I", len(packed)) + packed + b"".join(files or [])
    body = box.encrypt(plain)
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


def _unpack(plain: bytes) -> tuple[dict[str, Any], bytes]:
    (length,) = struct.unpack_from(">I", plain, 0)
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(plain[4 : 4 + length]))
    text = reader.read(MAX_CONTENTS_BYTES + 1)
    if len(text) > MAX_CONTENTS_BYTES:
        raise ValueError("the contents are too large")
    return json.loads(text), plain[4 + length :]


def open_body(envelope: Envelope, identity: Identity) -> dict[str, Any]:
    """The contents, with ``changes`` decoded and ``file_bytes`` the files after them."""
    try:
        plain = nacl.public.SealedBox(identity.box_key).decrypt(envelope.body)
        contents, file_bytes = _unpack(plain)
        contents["segments"] = decode_ranges(contents.get("segments") or [])
        origins = [str(s.get("o")) for s in contents.get("segments") or []]
        contents["changes"] = decode_changes(contents.pop("tables", None), origins)
    except (
        nacl.exceptions.CryptoError,
        zstandard.ZstdError,
        struct.error,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
    ):
        raise BundleError("the bundle cannot be decrypted: it is damaged") from None
    contents["file_bytes"] = file_bytes
    if not isinstance(contents, dict) or (
        contents.get("from"),
        contents.get("to"),
        contents.get("id"),
    ) != (envelope.sender, envelope.recipient, envelope.bundle_id):
        raise BundleError("the bundle's sealed contents do not match its header")
    if not isinstance(contents.get("changes"), list):
        raise BundleError("the bundle's contents are damaged")
    return contents
