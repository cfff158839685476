"""Reach of the education service: applications and exam candidates by township and month.

An application may carry a township the applicant chose to give, and a candidate one the
school chose at registration; both are optional and used for nothing else. When it is
missing, the school's place stands in: a school or university serving exactly one township
places its applicants and candidates there; one serving several townships, or online
everywhere, cannot place them and they are left out rather than guessed. Counts under five
are shown as "<5" by the dashboard.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth

from pyithu.core.reach import ReachCount
from pyithu.education.models import Application, Candidate, School


def _single_township() -> dict[Any, str]:
    """School id → P-code, for schools that serve exactly one township."""
    single = School.objects.annotate(n=Count("townships")).filter(n=1).values("pk")
    links = School.townships.through.objects.filter(school_id__in=single)
    return dict(links.values_list("school_id", "township__pcode"))


def _counts(rows: Any, places: dict[Any, str]) -> Iterator[ReachCount]:
    """Rows of (school id, own township P-code or None, month, count)."""
    totals: dict[tuple[str, date], int] = defaultdict(int)
    for school_id, own, month, n in rows:
        place = own or places.get(school_id)
        if place and month is not None:
            totals[(place, date(month.year, month.month, 1))] += n
    for (place, month), n in sorted(totals.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        yield ReachCount(place=place, month=month, count=n)


def _between(rows: Any, field: str, date_from: date | None, date_to: date | None) -> Any:
    if date_from:
        rows = rows.filter(**{f"{field}__date__gte": date_from})
    if date_to:
        rows = rows.filter(**{f"{field}__date__lte": date_to})
    return rows


def _applications(kind: str, date_from: date | None, date_to: date | None) -> Iterator[ReachCount]:
    rows = _between(Application.objects.filter(school__kind=kind), "created_at", date_from, date_to)
    grouped = (
        rows.annotate(month=TruncMonth("created_at"))
        .values_list("school_id", "township__pcode", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _counts(grouped, _single_township())


def school_applications(date_from: date | None, date_to: date | None) -> Iterator[ReachCount]:
    return _applications(School.Kind.SCHOOL, date_from, date_to)


def university_applications(date_from: date | None, date_to: date | None) -> Iterator[ReachCount]:
    return _applications(School.Kind.UNIVERSITY, date_from, date_to)


def _candidates(
    national: bool, date_from: date | None, date_to: date | None
) -> Iterator[ReachCount]:
    """Candidates registered for a sitting, in the month the sitting opens."""
    rows = _between(
        Candidate.objects.filter(sitting__paper__national=national),
        "sitting__opens_at",
        date_from,
        date_to,
    )
    grouped = (
        rows.annotate(month=TruncMonth("sitting__opens_at"))
        .values_list("school_id", "township__pcode", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _counts(grouped, _single_township())


def national_candidates(date_from: date | None, date_to: date | None) -> Iterator[ReachCount]:
    return _candidates(True, date_from, date_to)


def school_candidates(date_from: date | None, date_to: date | None) -> Iterator[ReachCount]:
    return _candidates(False, date_from, date_to)
