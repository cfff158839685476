"""The lottery draw, as docs/decisions/0021-lottery-and-transparency-log.md specifies.

Pure functions (no Django), so anyone can re-run a draw from the published data:

    commitment   = SHA-256(seed)                       seed: 32 secret bytes, published as hex
    tickets_hash = SHA-256(concatenation of "<number>:<ticket id>\\n" in ticket-number order)
    key          = SHA-256("pyithu-lottery-v1" || 0x00 || seed || tickets_hash || beacon UTF-8)
    block i      = SHA-256(key || i as 8-byte big-endian), i = 0, 1, 2, ...
    u            = the stream of 8-byte big-endian unsigned integers read from the blocks in order
    For each prize in order, with r tickets still in the draw (ordered by number):
        limit = 2**64 - (2**64 mod r); take the next u; reject it while u >= limit;
        the winner is the ticket at position (u mod r); it leaves the draw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

DOMAIN = b"pyithu-lottery-v1\x00"


def commitment(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


def tickets_hash(tickets: Sequence[tuple[int, str]]) -> str:
    body = "".join(f"{number}:{ticket_id}\n" for number, ticket_id in sorted(tickets))
    return hashlib.sha256(body.encode("ascii")).hexdigest()


def stream(seed: bytes, tickets_digest: str, beacon: str) -> Iterator[int]:
    key = hashlib.sha256(DOMAIN + seed + bytes.fromhex(tickets_digest) + beacon.encode()).digest()
    counter = 0
    while True:
        block = hashlib.sha256(key + counter.to_bytes(8, "big")).digest()
        for i in range(0, 32, 8):
            yield int.from_bytes(block[i : i + 8], "big")
        counter += 1


def uniform(values: Iterator[int], r: int) -> int:
    """A uniform choice in [0, r) by rejection sampling (no modulo bias)."""
    limit = 2**64 - (2**64 % r)
    while True:
        u = next(values)
        if u < limit:
            return u % r


def winners(seed: bytes, tickets: Sequence[tuple[int, str]], beacon: str, prizes: int) -> list[int]:
    """Winning ticket numbers, one per prize in prize order (fewer if fewer tickets)."""
    remaining = sorted(number for number, _id in tickets)
    values = stream(seed, tickets_hash(tickets), beacon)
    out = []
    for _ in range(min(prizes, len(remaining))):
        out.append(remaining.pop(uniform(values, len(remaining))))
    return out


def verify(public: dict) -> list[str]:
    """Re-run a published draw; every disagreement as one line (empty: the draw is honest)."""
    problems = []
    seed = bytes.fromhex(public["seed"])
    tickets = [(int(t["number"]), str(t["id"])) for t in public["tickets"]]
    if commitment(seed) != public["commitment"]:
        problems.append("the revealed seed does not match the commitment published before sales")
    if tickets_hash(tickets) != public["tickets_hash"]:
        problems.append("the ticket list does not match the frozen ticket hash")
    again = winners(seed, tickets, public["beacon_value"], len(public["prizes"]))
    if again != [int(n) for n in public["winners"]]:
        problems.append(f"re-running the draw gives {again}, not {public['winners']}")
    return problems
