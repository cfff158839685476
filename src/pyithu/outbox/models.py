"""Messages waiting to leave the platform (a reply notice to a patient, a reminder...).

Addresses and bodies are sealed, and erased once the message is sent, has failed for good or
has expired: the outbox keeps only what delivery still needs.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField
from pyithu.core.models import Record


def _new_dedupe_key() -> str:
    return secrets.token_hex(16)


class MessageState(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


class Message(Record):
    """One message to one recipient over one named transport (``console``, ``sms``...)."""

    # Delivery state is decided on this server; a copy elsewhere would send it twice.
    SYNC_POLICY = "local"

    channel = models.CharField(_("channel"), max_length=32)
    address = SealedTextField(_("address"), blank=True)
    body = SealedTextField(_("body"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=MessageState.choices, default=MessageState.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # When a queued message is next due, or when a "sending" claim lapses (a worker died).
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The exception's class name only: never the address or the body.
    last_error = models.CharField(_("last error"), max_length=100, blank=True)
    dedupe_key = models.CharField(
        _("de-duplication key"), max_length=100, unique=True, default=_new_dedupe_key
    )
    # Measured by the channel when queued (SMS: parts of 160/153 or 70/67 characters) and
    # priced per part in minor units; kept after the content is erased, for the operators.
    segments = models.PositiveSmallIntegerField(_("segments"), default=0)
    cost = models.PositiveIntegerField(_("cost"), default=0)

    class Meta:
        ordering = ["next_attempt_at"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.state} ({self.attempts})"
