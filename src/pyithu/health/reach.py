"""How many consultations the service gave, by township (or country abroad) and month."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from pyithu.core.reach import ReachCount, by_place, display_count
from pyithu.geo.maps import township_dot_map
from pyithu.geo.models import Township
from pyithu.health.models import Consultation


def consultations(date_from: date | None, date_to: date | None) -> Iterator[ReachCount]:
    cases = Consultation.objects.all()
    if date_from:
        cases = cases.filter(created_at__date__gte=date_from)
    if date_to:
        cases = cases.filter(created_at__date__lte=date_to)
    rows = (
        cases.annotate(month=TruncMonth("created_at"))
        .values("month", "township__pcode", "abroad_country")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    for row in rows:
        place = (
            f"abroad:{row['abroad_country']}" if row["abroad_country"] else row["township__pcode"]
        )
        month = row["month"]
        yield ReachCount(place=place, month=date(month.year, month.month, 1), count=row["n"])


def reach_table() -> dict[str, Any]:
    totals = by_place(consultations(None, None))
    at_home = {p: n for p, n in totals.items() if not p.startswith("abroad:")}
    abroad = {p.removeprefix("abroad:"): n for p, n in totals.items() if p.startswith("abroad:")}
    names = {t.pcode: t for t in Township.objects.filter(pcode__in=at_home)}
    rows = sorted(
        ((names[p].display_name(), display_count(n), n) for p, n in at_home.items() if p in names),
        key=lambda r: (-r[2], r[0]),
    )
    return {
        "map": mark_safe(township_dot_map(at_home, title=_("Consultations by township"))),
        "rows": rows[:40],
        "more": max(0, len(rows) - 40),
        "abroad": sorted(((c, display_count(n)) for c, n in abroad.items())),
        "townships": len(at_home),
        "total": display_count(sum(totals.values())),
    }
