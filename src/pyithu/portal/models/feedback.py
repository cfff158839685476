"""Feedback on a service: a thread the sender follows with a code, answered by its ministry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField
from pyithu.core.models import Record
from pyithu.portal.models.catalogue import Service


class Feedback(Record):
    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 10
    SYNC_SCOPE: dict[str, str] = {}  # back only to the node where it was sent

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        PRAISE = "praise", _("Praise")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="feedback"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    # The follow-up code's keyed digest: the code itself is shown once, to the sender.
    code_digest = models.CharField(_("follow-up code digest"), max_length=64, unique=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.kind} on {self.service.slug}"


class FeedbackMessage(Record):
    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 10
    SYNC_SCOPE = {"follows": "feedback"}

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="messages"
    )
    # Staff replies name their author; the sender is never named.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = SealedTextField(_("message"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("feedback message")
        verbose_name_plural = _("feedback messages")

    def __str__(self) -> str:
        return f"message on {self.feedback_id}"

    @property
    def from_staff(self) -> bool:
        return self.author_id is not None
