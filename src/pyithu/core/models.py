"""Shared base for every record, and the append-only audit log."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.ids import new_id


class Record(models.Model):
    """Every table gets a UUID key minted anywhere (hub or node) and change stamps sync reads."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only record."""


class AuditEntry(models.Model):
    """Who did what to which record, and when. Never the sensitive payload itself.

    Rows are append-only: the model refuses updates and deletes, and database triggers
    (migration 0002) refuse them even from raw SQL.
    """

    SYNC_POLICY = "append_only"
    # A node's trail reaches the hub (nodes send everything); the hub's goes to no node, and a
    # node's goes back only to itself (decision 0055). Last under a byte cap.
    SYNC_SCOPE: dict[str, str] = {}
    SYNC_PRIORITY = 90

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        # The id stays when the account goes: the trail must not be rewritten.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    # The handle at the time, so the trail survives the account's deletion.
    actor_handle = models.CharField(_("handle"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("record type"), max_length=64, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    # Short, non-sensitive facts: a status change, a role name. Callers never put sealed data here.
    summary = models.CharField(_("summary"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_handle} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")


def target_label(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk) if isinstance(obj.pk, uuid.UUID | int | str) else ""


class MirrorList(Record):
    """A signed list of the hub's current addresses (decision 0027): public by nature, it
    travels to every node, which hands it on (page, bot, SMS) when the hub is blocked."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 1

    seq = models.PositiveIntegerField(unique=True)
    text = models.TextField()  # the signed text, as ``pyithu mirrors verify`` reads it
    public_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("address list")
        verbose_name_plural = _("address lists")

    def __str__(self) -> str:
        return f"address list {self.seq}"
