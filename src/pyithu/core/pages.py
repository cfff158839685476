"""Citizen pages: they must work without JavaScript and fit the byte budget.

A view marked ``@citizen_page`` is found by ``citizen_urls()``; the test suite renders each one
and fails when the page plus its CSS exceeds ``PYITHU_PAGE_BUDGET_BYTES`` gzip-compressed or
loads anything from another host, and ``bench/page_weight.py`` prints their sizes. A page with
URL arguments says how to find a real example: ``@citizen_page(example=lambda: {"slug": ...})``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.urls import URLPattern, URLResolver, get_resolver, reverse

View = TypeVar("View", bound=Callable[..., Any])
Example = Callable[[], dict[str, Any]]


def citizen_page(view: View | None = None, *, example: Example | None = None) -> Any:
    def mark(func: View) -> View:
        func.citizen_page = True  # type: ignore[attr-defined]
        func.citizen_example = example  # type: ignore[attr-defined]
        return func

    return mark(view) if view is not None else mark


def _marked(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _marked(entry, prefix + namespace)
        elif getattr(entry.callback, "citizen_page", False):
            yield prefix + (entry.name or ""), entry


def citizen_urls() -> list[str]:
    """One concrete URL for every citizen page (needs the database for pages with examples)."""
    urls = set()
    for name, pattern in _marked(get_resolver()):
        example = getattr(pattern.callback, "citizen_example", None)
        if pattern.pattern.regex.groups and example is None:
            raise LookupError(f"citizen page {name} takes arguments but gives no example")
        urls.add(reverse(name, kwargs=example() if example else None))
    return sorted(urls)
