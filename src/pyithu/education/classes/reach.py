"""Reach of classes: enrolments by township (when the student gave one) and month."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth

from pyithu.core.reach import ReachCount
from pyithu.education.models import Enrolment, School


def enrolments(
    date_from: date | None, date_to: date | None, kind: str | None = None
) -> Iterator[ReachCount]:
    rows = Enrolment.objects.filter(township__isnull=False)
    if kind:
        rows = rows.filter(section__course__school__kind=kind)
    if date_from:
        rows = rows.filter(created_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(created_at__date__lte=date_to)
    grouped = (
        rows.annotate(month=TruncMonth("created_at"))
        .values("month", "township_id")
        .annotate(n=Count("pk"))
        .order_by("month", "township_id")
    )
    for row in grouped:
        month = row["month"]
        yield ReachCount(
            place=row["township_id"], month=date(month.year, month.month, 1), count=row["n"]
        )


def school_enrolments(date_from: date | None, date_to: date | None) -> Iterator[ReachCount]:
    return enrolments(date_from, date_to, School.Kind.SCHOOL)


def university_enrolments(date_from: date | None, date_to: date | None) -> Iterator[ReachCount]:
    return enrolments(date_from, date_to, School.Kind.UNIVERSITY)
