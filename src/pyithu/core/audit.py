"""Writing the audit log. Every staff action that changes state calls ``record``."""

from __future__ import annotations

from typing import Any

from django.db import models

from pyithu.core.models import AuditEntry, target_label


def record(
    actor: Any, action: str, target: models.Model | None = None, summary: str = ""
) -> AuditEntry:
    """Append one audit entry. ``summary`` must never carry sealed or personal data."""
    target_type, target_id = target_label(target)
    authenticated = bool(actor is not None and getattr(actor, "is_authenticated", False))
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_handle=getattr(actor, "handle", "") if authenticated else "",
        action=action[:64],
        target_type=target_type,
        target_id=target_id,
        summary=summary[:200],
    )
