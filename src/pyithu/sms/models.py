"""Inbound texts, kept only as long as throttling needs them (see ``services.PURGE_AFTER``).

The sender is stored as a keyed digest, never as a number: the number itself exists only in
the sealed address of the reply in the outbox, which is erased once the reply is sent.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.models import Record


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("answered")
    HELP = "help", _("help sent")
    UNKNOWN = "unknown", _("not understood")
    MISSING_CODE = "missing_code", _("no code given")
    NOT_FOUND = "not_found", _("no match for the code")
    NOT_RELEASED = "not_released", _("result not released")
    SLOWED_DOWN = "slowed_down", _("told to slow down")
    IGNORED = "ignored", _("ignored (flooding)")


class InboundText(Record):
    """One text received by the gateway: who (digest), what kind, and how it was answered."""

    # Throttling is per server; a copy elsewhere would be of no use and one more trace.
    SYNC_POLICY = "local"

    sender_digest = models.CharField(max_length=64, db_index=True)
    # Digest of the gateway's own message id, so a webhook delivered twice is answered once.
    gateway_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    command = models.CharField(_("command"), max_length=16)
    language = models.CharField(_("language"), max_length=8)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    reply = models.ForeignKey(
        "outbox.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("received text")
        verbose_name_plural = _("received texts")
        indexes = [models.Index(fields=["sender_digest", "created_at"])]

    def __str__(self) -> str:
        return f"{self.command} {self.outcome}"
