"""Hybrid logical clock (Kulkarni et al.), packed in one integer: wall milliseconds << 16 | logical.

A local event gets a stamp above both the wall clock and every stamp seen so far, so a change
made after seeing another always sorts after it even when the device's clock is behind.
"""

from __future__ import annotations

import time

LOGICAL_BITS = 16
LOGICAL_MASK = (1 << LOGICAL_BITS) - 1


def pack(wall_ms: int, logical: int) -> int:
    return (wall_ms << LOGICAL_BITS) | logical


def wall_ms(stamp: int) -> int:
    return stamp >> LOGICAL_BITS


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def tick(last: int, now: int | None = None) -> int:
    """The stamp for a local event after ``last``."""
    physical = now_ms() if now is None else now
    if physical > wall_ms(last):
        return pack(physical, 0)
    return last + 1


def receive(last: int, remote: int) -> int:
    """Our clock after seeing a remote stamp: never below it (no stamp is ever reused)."""
    return max(last, remote)
