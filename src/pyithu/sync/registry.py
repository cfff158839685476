"""Which models sync, and how: read from what each model declares, never listed here.

``SYNC_POLICY``   ``"append_only"`` (insert once, never conflicts), ``"last_writer"`` (mutable,
                  highest hybrid-logical-clock version wins, the loser is kept) or ``"local"``
                  (never leaves this server). A model that declares nothing does not sync.
``SYNC_PRIORITY`` 0 (most urgent, sent first under a byte cap) to 100; default 50.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

APPEND_ONLY = "append_only"
LAST_WRITER = "last_writer"
LOCAL = "local"
POLICIES = {APPEND_ONLY, LAST_WRITER, LOCAL}
DEFAULT_PRIORITY = 50


class PolicyError(Exception):
    """A model declares a policy sync does not know."""


def policy_of(model: type[models.Model]) -> str | None:
    value = getattr(model, "SYNC_POLICY", None)
    if value is None:
        return None
    if value not in POLICIES:
        raise PolicyError(f"{model._meta.label}.SYNC_POLICY = {value!r} is not one of {POLICIES}")
    return value


def priority_of(model: type[models.Model]) -> int:
    return int(getattr(model, "SYNC_PRIORITY", DEFAULT_PRIORITY))


def synced_models() -> list[type[models.Model]]:
    """Concrete models whose records travel (append-only or last-writer), by label."""
    found = [
        m
        for m in apps.get_models()
        if not m._meta.proxy and policy_of(m) in {APPEND_ONLY, LAST_WRITER}
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def synced_model(label: str) -> type[models.Model] | None:
    """The synced model for a change's label, or None when this site does not sync it."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if policy_of(model) in {APPEND_ONLY, LAST_WRITER} else None
