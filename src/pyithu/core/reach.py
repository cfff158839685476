"""Reach: how many people a service served, by township (or country abroad) and month.

Each service app registers a provider from its ``AppConfig.ready``; dashboards (the portal's
and each service's own) read them here, so no service imports another. Counts under
``SMALL_COUNT`` are never shown as numbers: a "3" in a small township can single a person out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

SMALL_COUNT = 5
ABROAD = "abroad"


@dataclass(frozen=True)
class ReachCount:
    """People served in one place and month. ``place`` is a township P-code, or
    ``abroad:<ISO country code>`` for people outside Myanmar."""

    place: str
    month: date  # the first day of the month
    count: int


Provider = Callable[[date | None, date | None], Iterable[ReachCount]]


@dataclass(frozen=True)
class ReachSource:
    key: str
    label: Any  # a lazy translated string
    provider: Provider


_sources: dict[str, ReachSource] = {}


def register(key: str, label: Any, provider: Provider) -> None:
    _sources[key] = ReachSource(key, label, provider)


def sources() -> list[ReachSource]:
    return list(_sources.values())


def display_count(count: int) -> str:
    """What a public page shows: the number, or "<5" when it could identify someone."""
    return f"<{SMALL_COUNT}" if 0 < count < SMALL_COUNT else str(count)


def by_place(counts: Iterable[ReachCount]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in counts:
        totals[row.place] = totals.get(row.place, 0) + row.count
    return totals
