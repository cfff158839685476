"""Reach figures from every registered provider, and internet shutdowns, for the dashboard.

A provider belongs to a service when its key is the service's slug or starts with
``<service slug>:`` (e.g. ``tele-kyan-mar:consultations``).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from pyithu.core import reach
from pyithu.core.reach import ABROAD, ReachCount, ReachSource, display_count
from pyithu.geo.models import StateRegion, Township
from pyithu.geo.selectors import country_name
from pyithu.portal.models import Shutdown

log = logging.getLogger(__name__)
TOP_TOWNSHIPS = 25
MONTH_COLUMNS = 6


@dataclass
class ReachTable:
    months: list[date]
    rows: list[tuple[str, str, list[str], str]]  # (place, name, counts by month, total)
    more_places: int
    total: str
    values: dict[str, int] = field(default_factory=dict)  # P-code -> count, for the map
    failed: list[str] = field(default_factory=list)  # labels of providers that failed


def sources_for(service_slug: str | None = None) -> list[ReachSource]:
    found = reach.sources()
    if service_slug is None:
        return found
    return [s for s in found if s.key == service_slug or s.key.startswith(f"{service_slug}:")]


def reach_table(
    sources: list[ReachSource], date_from: date | None = None, date_to: date | None = None
) -> ReachTable:
    counts: list[ReachCount] = []
    failed = []
    for source in sources:
        try:
            counts.extend(source.provider(date_from, date_to))
        except Exception:  # one broken provider must not take the dashboard down
            log.exception("reach provider %s failed", source.key)
            failed.append(str(source.label))
    cells: dict[str, Counter[date]] = defaultdict(Counter)
    for row in counts:
        cells[row.place][row.month] += row.count
    months = sorted({row.month for row in counts})[-MONTH_COLUMNS:]
    totals = {place: sum(c.values()) for place, c in cells.items()}
    names = _place_names(list(cells))
    ranked = sorted(cells, key=lambda place: (-totals[place], names[place]))
    rows = [
        (
            place,
            names[place],
            [display_count(cells[place][m]) if cells[place][m] else "" for m in months],
            display_count(totals[place]),
        )
        for place in ranked[:TOP_TOWNSHIPS]
    ]
    values = {place: n for place, n in totals.items() if not place.startswith(ABROAD)}
    return ReachTable(
        months=months,
        rows=rows,
        more_places=max(0, len(ranked) - TOP_TOWNSHIPS),
        total=display_count(sum(totals.values())),
        values=values,
        failed=failed,
    )


def _place_names(places: list[str]) -> dict[str, str]:
    townships = {t.pcode: t.display_name() for t in Township.objects.filter(pcode__in=places)}
    names = {}
    for place in places:
        if place.startswith(f"{ABROAD}:"):
            country = country_name(place.split(":", 1)[1])
            names[place] = _("Abroad: %(country)s") % {"country": country}
        else:
            names[place] = townships.get(place, place)
    return names


def shutdowns_in(date_from: date | None = None, date_to: date | None = None) -> Q:
    """Shutdowns that overlap the period (an ongoing one has no end)."""
    condition = Q()
    if date_from is not None:
        condition &= Q(end__isnull=True) | Q(end__gte=date_from)
    if date_to is not None:
        condition &= Q(start__lte=date_to)
    return condition


def shutdown_townships(date_from: date | None = None, date_to: date | None = None) -> set[str]:
    shutdowns = Shutdown.objects.filter(shutdowns_in(date_from, date_to))
    return set(shutdowns.values_list("township__pcode", flat=True))


def shutdowns_by_region(
    date_from: date | None = None, date_to: date | None = None
) -> list[tuple[StateRegion, int, int]]:
    """(state/region, township shutdowns recorded, distinct townships) for each affected
    state/region, most shutdowns first, as the seed's appendix 4 counts them."""
    counts = (
        Shutdown.objects.filter(shutdowns_in(date_from, date_to))
        .values("township__state")
        .annotate(records=Count("id"), townships=Count("township", distinct=True))
    )
    states = StateRegion.objects.in_bulk([row["township__state"] for row in counts])
    rows = [(states[r["township__state"]], r["records"], r["townships"]) for r in counts]
    return sorted(rows, key=lambda row: (-row[1], row[0].sort_order))
