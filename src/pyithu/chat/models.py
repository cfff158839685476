"""What the Telegram bot keeps: a keyed hash of the person, their language, the current step of
a conversation (sealed, deleted when done) and, only while a booking may still send them a
notice, the sealed chat id and the link to that booking. Never a raw Telegram id or name."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField
from pyithu.core.models import Record


class Chat(Record):
    """One person talking to the bot, known only by ``digest("chat-tg-user", user id)``."""

    # The bot that talks to this chat runs on this server; a copy elsewhere means nothing.
    SYNC_POLICY = "local"

    person = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # The Telegram chat id, sealed; kept only while a booking link needs it (see services.prune).
    address = SealedTextField(null=True, blank=True, default=None)
    # The conversation step ("book.symptoms"...) and its answers so far (sealed JSON).
    step = models.CharField(max_length=32, blank=True)
    state = SealedTextField(blank=True)
    step_at = models.DateTimeField(null=True, blank=True)
    # Flood control: messages counted in the current one-minute window.
    window_start = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Telegram chat")
        verbose_name_plural = _("Telegram chats")

    def __str__(self) -> str:
        return f"chat {self.person[:8]}"


class BookingLink(Record):
    """Lets a doctor's reply notice find this chat. The consultation's contact holds a random
    token; only its digest is here. Deleted by "forget me" and once the booking is over."""

    SYNC_POLICY = "local"

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="links")
    consultation = models.ForeignKey(
        "health.Consultation", on_delete=models.CASCADE, related_name="+"
    )
    token_digest = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("booking link")
        verbose_name_plural = _("booking links")

    def __str__(self) -> str:
        return f"link {self.pk}"
