"""Reading the catalogue: what the pages and the API show."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from pyithu.core.text import normalise_text, search_filter
from pyithu.portal.models import Ministry, Service

# A search reads at most this much of the query and returns at most this many rows of each kind.
MAX_QUERY_CHARS = 100
MAX_RESULTS = 50


def active_services() -> QuerySet[Service]:
    """Services open to the public: active, in an active ministry."""
    return Service.objects.filter(is_active=True, ministry__is_active=True).select_related(
        "ministry"
    )


def active_ministries() -> QuerySet[Ministry]:
    """Active ministries in catalogue order, each with its active services prefetched."""
    services = Service.objects.filter(is_active=True).order_by("sort_order", "slug")
    return Ministry.objects.filter(is_active=True).prefetch_related(
        Prefetch("services", queryset=services)
    )


def search_catalogue(query: str) -> tuple[list[Ministry], list[Service]]:
    """Ministries and services whose names or summaries, in English or Burmese, have words
    starting with every word of ``query``. An empty query finds nothing."""
    query = normalise_text(query[:MAX_QUERY_CHARS])
    if not query:
        return [], []
    condition = search_filter("search_text", query)
    if not condition:
        return [], []  # only punctuation: no words to look for
    ministries = active_ministries().filter(condition)[:MAX_RESULTS]
    services = active_services().filter(condition)[:MAX_RESULTS]
    return list(ministries), list(services)
