"""Reading administrative units: township search and the grouped list pickers show."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from itertools import groupby

import icu
from django.db.models import Q

from pyithu.core.i18n import content_language
from pyithu.core.text import normalise_text, search_filter
from pyithu.geo.models import StateRegion, Township, TownshipQuerySet


def _townships(*, include_inactive: bool) -> TownshipQuerySet:
    townships = Township.objects.select_related("state", "district")
    return townships if include_inactive else townships.active()


def find_townships(
    query: str,
    *,
    state: str = "",
    include_inactive: bool = False,
    limit: int | None = 50,
) -> list[Township]:
    """Townships whose English or Burmese name has words starting with every query word,
    or whose P-code is ``query``; ordered by state/region, then English name.

    ``state`` narrows to a state/region P-code, or to one of MIMU's split codes (MMR015 is
    North Shan). An empty query matches every township; retired ones only on request.
    """
    townships = _townships(include_inactive=include_inactive)
    query = normalise_text(query)
    if query:
        townships = townships.filter(search_filter("search_text", query) | Q(pcode__iexact=query))
    state = normalise_text(state)
    if state:
        townships = townships.filter(
            Q(state__pcode__iexact=state) | Q(district__raw_state_pcode__iexact=state)
        )
    return list(townships[:limit] if limit is not None else townships)


def get_township(pcode: str) -> Township | None:
    """The township with this P-code, retired or not; ``None`` if there is none."""
    return (
        Township.objects.select_related("state", "district")
        .filter(pcode__iexact=normalise_text(pcode))
        .first()
    )


def active_states() -> list[StateRegion]:
    """States/regions in use, in display (MIMU) order."""
    return list(StateRegion.objects.filter(is_active=True))


def group_by_state(townships: list[Township]) -> list[tuple[StateRegion, list[Township]]]:
    """``[(state, [township, ...]), ...]`` for townships already ordered by state; within a
    state, townships are sorted by their name in the active language's script.
    """
    key = _display_sort_key()
    return [
        (state, sorted(group, key=key))
        for state, group in groupby(townships, key=lambda township: township.state)
    ]


def _display_sort_key() -> Callable[[Township], bytes]:
    # ICU collation: Burmese names sort in the order of the Burmese alphabet, not by code point.
    collator = icu.Collator.createInstance(icu.Locale(content_language()))
    return lambda township: collator.getSortKey(township.display_name())


def townships_by_state() -> list[tuple[StateRegion, list[Township]]]:
    """Every active township, grouped under its state/region in display order (optgroups)."""
    return group_by_state(list(_townships(include_inactive=False)))


def states_with_counts() -> list[tuple[StateRegion, int]]:
    """Active states/regions in display order, each with how many active townships it has."""
    counts = Counter(_townships(include_inactive=False).values_list("state_id", flat=True))
    return [(state, counts[state.pk]) for state in active_states() if counts[state.pk]]


def country_name(code: str, language: str | None = None) -> str:
    """A country's name in the reader's script, from ICU's data (e.g. TH: ထိုင်း / Thailand)."""
    code = code.strip().upper()
    if len(code) != 2 or not code.isalpha() or code == "ZZ":
        return code
    locale = icu.Locale(content_language(language))
    name = icu.Locale("", code).getDisplayCountry(locale)
    return name or code
