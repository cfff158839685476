"""Who this site is in the federation, for the services that must know (decision 0026).

A service app asks ``node_id()`` and ``is_hub()`` and ``made_by_hub(model, pk)``; the sync
app, which owns identities, provides the answers in its ``ready()``. Core knows nothing of it:
with no provider this is a stand-alone hub with no node id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

_providers: dict[str, Callable[..., Any]] = {}


def provide(name: str, fn: Callable[..., Any]) -> None:
    """Sync registers ``node_id``, ``is_hub``, ``points`` and ``made_by_hub``."""
    _providers[name] = fn


def node_id(using: str = "default") -> str:
    fn = _providers.get("node_id")
    return str(fn(using)) if fn else ""


def is_hub() -> bool:
    fn = _providers.get("is_hub")
    return bool(fn()) if fn else True


def points(using: str = "default") -> list[tuple[str, str]]:
    """The township nodes this hub serves, as (node id, name), for pages that bind something
    to one of them (a cash-out code, 0026). Empty on a stand-alone site."""
    fn = _providers.get("points")
    return list(fn(using)) if fn else []


def made_by_hub(model: type[models.Model], pks: list[Any], using: str = "default") -> set[str]:
    """Of these records, the ids of those this site's hub made (or this site, on the hub)."""
    fn = _providers.get("made_by_hub")
    if fn is None:
        return {str(pk) for pk in pks}
    return set(fn(model, pks, using))
