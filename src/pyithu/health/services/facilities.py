"""Where to go in an emergency: facilities in a township and nearest to it.

Facilities are reference data kept by operators and sent to every node, so the list works
offline. "Near" is by the distance between townships' principal towns (geo coordinates), the
same township first; a township without coordinates gets its own facilities only.
"""

from __future__ import annotations

import math

from pyithu.geo.models import Township
from pyithu.health.models import Facility

NEAREST = 5
EARTH_KM = 6371.0


def _km(a: Township, b: Township) -> float:
    lat1, lon1, lat2, lon2 = map(
        math.radians, map(float, (a.latitude, a.longitude, b.latitude, b.longitude))
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def near(township: Township | None, limit: int = NEAREST) -> list[tuple[Facility, float | None]]:
    """Active facilities of the township, then the nearest others, with the distance in km
    (None inside the township)."""
    if township is None:
        return []
    found = list(Facility.objects.filter(active=True).select_related("township"))
    here = [(f, None) for f in found if f.township_id == township.pk]
    if township.latitude is None or township.longitude is None:
        return here[:limit]
    others = [
        (f, _km(township, f.township))
        for f in found
        if f.township_id != township.pk
        and f.township.latitude is not None
        and f.township.longitude is not None
    ]
    others.sort(key=lambda pair: pair[1])
    return (here + others)[:limit]
