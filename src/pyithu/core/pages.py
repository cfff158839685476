"""Marking citizen pages: they must work without JavaScript and fit the byte budget.

The test suite finds every URL whose view carries this mark, renders it, and fails when the
page plus its CSS exceeds ``PYITHU_PAGE_BUDGET_BYTES`` gzip-compressed, or loads anything
from another host.
"""

from collections.abc import Callable
from typing import TypeVar

View = TypeVar("View", bound=Callable[..., object])


def citizen_page(view: View) -> View:
    view.citizen_page = True  # type: ignore[attr-defined]
    return view
