"""Shared reads of the portal, by topic."""

from pyithu.portal.selectors.catalogue import (
    MAX_QUERY_CHARS,
    MAX_RESULTS,
    active_ministries,
    active_services,
    search_catalogue,
)

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_RESULTS",
    "active_ministries",
    "active_services",
    "search_catalogue",
]
