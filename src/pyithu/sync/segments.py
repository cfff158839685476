"""Origin signatures over segments of changes.

A segment is a set of one origin's changes (listed as counter ranges). Its signature covers
``canonical({"o": origin, "c": ranges})`` followed by the BLAKE2b hash of each change's signed
form in counter order. A receiver recomputes each hash from the change in the bundle or, when it
already holds that change, from its own log, so a sender leaves out what the receiver has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.signing

from pyithu.sync import canonical
from pyithu.sync.identity import Identity, b64, unb64

SEGMENT_SIZE = 64


def to_ranges(counters: Iterable[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for counter in sorted(counters):
        if ranges and ranges[-1][1] == counter - 1:
            ranges[-1][1] = counter
        else:
            ranges.append([counter, counter])
    return ranges


def expand(ranges: Any, limit: int = 10_000) -> list[int]:
    """Counters of a segment from untrusted JSON (ValueError when malformed or too large)."""
    if not isinstance(ranges, list):
        raise ValueError("segment ranges must be a list")
    out: list[int] = []
    for item in ranges:
        if not (isinstance(item, list) and len(item) == 2 and all(type(x) is int for x in item)):
            raise ValueError("a segment range is malformed")
        low, high = item
        if low < 1 or high < low or len(out) + high - low + 1 > limit:
            raise ValueError("a segment range is out of bounds")
        out.extend(range(low, high + 1))
    return out


def signed_part(wire: dict[str, Any]) -> bytes:
    return canonical.dumps({k: v for k, v in wire.items() if k not in {"s", "g"}})


def change_hash(wire: dict[str, Any]) -> bytes:
    return nacl.hash.blake2b(signed_part(wire), digest_size=32, encoder=nacl.encoding.RawEncoder)


def message(origin: str, ranges: list[list[int]], hashes: list[bytes]) -> bytes:
    return canonical.dumps({"o": origin, "c": ranges}) + b"".join(hashes)


def sign(identity: Identity, wires: list[dict[str, Any]]) -> tuple[list[list[int]], str]:
    """(ranges, signature) for these changes of ``identity``'s origin."""
    ordered = sorted(wires, key=lambda w: w["n"])
    ranges = to_ranges(w["n"] for w in ordered)
    hashes = [change_hash(w) for w in ordered]
    return ranges, b64(identity.sign(message(identity.node_id, ranges, hashes)))


def verify(
    origin: str, ranges: list[list[int]], hashes: list[bytes], signature: str, verify_key: str
) -> bool:
    try:
        nacl.signing.VerifyKey(unb64(verify_key)).verify(
            message(origin, ranges, hashes), unb64(signature)
        )
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        return False
    return True
