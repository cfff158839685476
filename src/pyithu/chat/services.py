"""Every write the Telegram bot makes to its own tables: the person's chat record, the step of
a conversation, flood control, booking links, "forget me" and pruning."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pyithu.chat.models import BookingLink, Chat
from pyithu.core import sealing
from pyithu.health.models import CaseStatus, Consultation
from pyithu.outbox.services import DEFAULT_TTL
from pyithu.outbox.transports import Undeliverable

PERSON_PURPOSE = "chat-tg-user"
LINK_PURPOSE = "chat-tg-link"
# A conversation left half-way is forgotten after this long (its answers with it).
STEP_TTL = timedelta(minutes=30)
# A closed booking keeps its link as long as the outbox may still deliver its last notice.
LINK_GRACE = DEFAULT_TTL
# A chat with no booking link and no message for this long is deleted (language and all).
IDLE_CHAT = timedelta(days=180)
WINDOW = timedelta(minutes=1)

OK, WARN, QUIET = "ok", "warn", "quiet"


class RecipientGone(Undeliverable):
    """The chat a notice was for asked to be forgotten, or its booking is long over: retrying
    cannot help, so the outbox fails the message at once."""


def person_digest(user_id: int | str) -> str:
    return sealing.digest(PERSON_PURPOSE, str(user_id))


def _chat_for(person: str) -> Chat:
    chat = Chat.objects.filter(person=person).first()
    if chat is not None:
        return chat
    try:
        with transaction.atomic():
            return Chat.objects.create(person=person)
    except IntegrityError:  # the same person's other message created it first
        return Chat.objects.get(person=person)


@transaction.atomic
def admit(user_id: int | str, rate: int, now: datetime | None = None) -> tuple[Chat, str]:
    """The person's chat and whether to answer: ``ok``, ``warn`` once when they send more than
    ``rate`` messages in a minute, then ``quiet`` until the minute is over."""
    now = now or timezone.now()
    chat = Chat.objects.select_for_update().get(pk=_chat_for(person_digest(user_id)).pk)
    if chat.window_start is None or now - chat.window_start >= WINDOW:
        chat.window_start, chat.window_count = now, 1
    else:
        chat.window_count += 1
    chat.save(update_fields=["window_start", "window_count", "updated_at"])
    if chat.window_count <= rate:
        return chat, OK
    return chat, WARN if chat.window_count == rate + 1 else QUIET


def set_language(chat: Chat, language: str) -> None:
    chat.language = language
    chat.save(update_fields=["language", "updated_at"])


def current_step(chat: Chat, now: datetime | None = None) -> tuple[str, dict[str, Any]]:
    """The step in progress and its answers; a step left too long is forgotten."""
    now = now or timezone.now()
    if not chat.step:
        return "", {}
    if chat.step_at is None or now - chat.step_at > STEP_TTL:
        finish(chat)
        return "", {}
    return chat.step, json.loads(chat.state or "{}")


def begin(chat: Chat, step: str, data: dict[str, Any] | None = None) -> None:
    chat.step, chat.state, chat.step_at = step, json.dumps(data or {}), timezone.now()
    chat.save(update_fields=["step", "state", "step_at", "updated_at"])


def finish(chat: Chat) -> None:
    """The conversation is over: its answers are deleted."""
    chat.step, chat.state, chat.step_at = "", "", None
    chat.save(update_fields=["step", "state", "step_at", "updated_at"])


def new_link_token() -> str:
    return secrets.token_urlsafe(18)


def link_booking(chat: Chat, consultation: Consultation, token: str, chat_id: int | str) -> None:
    """Remember where to send this booking's reply notices (the chat id, sealed)."""
    BookingLink.objects.create(
        chat=chat, consultation=consultation, token_digest=sealing.digest(LINK_PURPOSE, token)
    )
    chat.address = str(chat_id)
    chat.save(update_fields=["address", "updated_at"])


@transaction.atomic
def forget(chat: Chat) -> None:
    """Delete the chat record: language, step, chat id and every link to a booking. The
    bookings themselves stay, reachable with their codes as before."""
    Chat.objects.filter(pk=chat.pk).delete()


@dataclass(frozen=True)
class Target:
    chat_id: str
    language: str


def delivery_target(token: str) -> Target:
    link = (
        BookingLink.objects.select_related("chat")
        .filter(token_digest=sealing.digest(LINK_PURPOSE, token))
        .first()
    )
    if link is None or not link.chat.address:
        raise RecipientGone()
    return Target(link.chat.address, link.chat.language or "my")


@transaction.atomic
def prune(now: datetime | None = None) -> dict[str, int]:
    """Drop links of bookings closed long enough ago, chat ids no link needs, stale steps and
    idle chats. Safe to run at any time, from any process."""
    now = now or timezone.now()
    links, _ = BookingLink.objects.filter(
        consultation__status=CaseStatus.CLOSED, consultation__closed_at__lte=now - LINK_GRACE
    ).delete()
    addresses = Chat.objects.filter(links__isnull=True, address__isnull=False).update(address=None)
    steps = (
        Chat.objects.exclude(step="")
        .filter(step_at__lt=now - STEP_TTL)
        .update(step="", state="", step_at=None)
    )
    idle, _ = Chat.objects.filter(links__isnull=True, updated_at__lt=now - IDLE_CHAT).delete()
    return {"links": links, "addresses": addresses, "steps": steps, "chats": idle}
