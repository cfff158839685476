"""Record identifiers.

UUIDv7 (RFC 9562): random enough to reveal nothing and to be minted offline on any edge node
without coordination, yet time-ordered so B-tree indexes stay compact and sync can page by id.
"""

import os
import time
import uuid


def new_id() -> uuid.UUID:
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= ((rand >> 62) & 0xFFF) << 64  # 12 bits rand_a
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)  # 62 bits rand_b
    return uuid.UUID(int=value)


def parse_id(raw: object) -> uuid.UUID | None:
    """A record id from a form or query, or None for anything that is not one: a malformed id
    is a "not found", never a database error."""
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw).strip()[:64])
    except ValueError:
        return None
