"""Which site this is, for a service whose rule depends on the place (a voucher is spendable
only where it is allotted, decision 0059).

Core knows nothing of sync: sync tells it how to answer in its ``ready()`` (``provide``). With no
provider (sync not installed), or before ``pyithu node init``, the site id is "" and the site
counts as the hub.
"""

from __future__ import annotations

from collections.abc import Callable

_site_id: Callable[[str], str] | None = None
_is_node: Callable[[], bool] | None = None


def provide(site_id: Callable[[str], str], is_node: Callable[[], bool]) -> None:
    global _site_id, _is_node
    _site_id, _is_node = site_id, is_node


def site_id(using: str = "default") -> str:
    """This site's node id ("" when it has none)."""
    return _site_id(using) if _site_id is not None else ""


def is_node() -> bool:
    """Whether this site is a township node (not the hub)."""
    return _is_node() if _is_node is not None else False
