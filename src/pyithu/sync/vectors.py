"""Version vectors: for every origin, the highest counter up to which this site holds all.

Changes may arrive with gaps (bundles out of order, a byte cap that sent urgent kinds first);
the vector only claims the contiguous prefix, so whatever lies beyond a gap is asked for again
and skipped on arrival if it was already there.
"""

from __future__ import annotations

from django.db.models import Count, Max, Q

from pyithu.sync.models import ChangeLog

Vector = dict[str, int]
Extras = dict[str, list[list[int]]]


def local_vector(using: str = "default") -> Vector:
    rows = (
        ChangeLog.objects.using(using)
        .exclude(origin="")
        .filter(counter__isnull=False)
        .values("origin")
        .annotate(top=Max("counter"), n=Count("id"))
    )
    vector: Vector = {}
    for row in rows:
        if row["n"] == row["top"]:
            vector[row["origin"]] = row["top"]
        else:
            vector[row["origin"]] = _contiguous(row["origin"], using)
    return vector


def _contiguous(origin: str, using: str) -> int:
    expected = 1
    counters = (
        ChangeLog.objects.using(using)
        .filter(origin=origin)
        .order_by("counter")
        .values_list("counter", flat=True)
    )
    for counter in counters.iterator():
        if counter != expected:
            break
        expected += 1
    return expected - 1


def held_beyond(vector: Vector, using: str = "default", limit: int = 200) -> Extras:
    """Counter ranges held above the contiguous prefix (changes that arrived ahead of a gap),
    so the other side does not send them again. At most ``limit`` ranges are reported."""
    rows = (
        ChangeLog.objects.using(using)
        .exclude(origin="")
        .filter(counter__isnull=False)
        .values("origin")
        .annotate(top=Max("counter"))
    )
    extras: Extras = {}
    budget = limit
    for row in rows:
        origin, prefix = row["origin"], vector.get(row["origin"], 0)
        if row["top"] <= prefix or budget <= 0:
            continue
        ranges: list[list[int]] = []
        counters = (
            ChangeLog.objects.using(using)
            .filter(origin=origin, counter__gt=prefix)
            .order_by("counter")
            .values_list("counter", flat=True)
        )
        for counter in counters.iterator():
            if ranges and ranges[-1][1] == counter - 1:
                ranges[-1][1] = counter
            elif len(ranges) < budget:
                ranges.append([counter, counter])
            else:
                break
        budget -= len(ranges)
        extras[origin] = ranges
    return extras


def merged(a: Vector, b: Vector) -> Vector:
    return {o: max(a.get(o, 0), b.get(o, 0)) for o in {*a, *b}}


def missing_filter(theirs: Vector, extras: Extras | None = None) -> Q:
    """Changes the holder of ``theirs`` (and of ``extras`` beyond it) lacks."""
    lacking = ~Q(origin__in=list(theirs)) & ~Q(origin="")
    for origin, counter in theirs.items():
        lacking |= Q(origin=origin, counter__gt=counter)
    for origin, ranges in (extras or {}).items():
        for low, high in ranges:
            lacking &= ~Q(origin=origin, counter__gte=low, counter__lte=high)
    return lacking


def clean(value: object) -> Vector:
    """A vector from untrusted JSON: origin ids to non-negative ints, nothing else."""
    if not isinstance(value, dict):
        return {}
    return {
        str(k)[:32]: int(v)
        for k, v in value.items()
        if isinstance(v, int) and not isinstance(v, bool) and v >= 0
    }


def clean_extras(value: object, limit: int = 200) -> Extras:
    """Extras from untrusted JSON: origin ids to at most ``limit`` [low, high] ranges in all."""
    if not isinstance(value, dict):
        return {}
    out: Extras = {}
    budget = limit
    for origin, ranges in value.items():
        if not isinstance(ranges, list):
            continue
        kept = [
            [int(r[0]), int(r[1])]
            for r in ranges[: max(budget, 0)]
            if isinstance(r, list) and len(r) == 2 and all(type(x) is int for x in r)
        ]
        budget -= len(kept)
        if kept:
            out[str(origin)[:32]] = kept
    return out
