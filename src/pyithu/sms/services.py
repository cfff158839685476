"""Receiving a text and answering it through the outbox.

The sender's number is checked, turned into a keyed digest for throttling, and used once more
only as the sealed address of the reply. Flooding (more than ``FLOOD_LIMIT`` texts in
``FLOOD_WINDOW``) gets one "slow down" reply, then silence until the window has passed, so a
flood cannot make the service spend money on texts.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.core import sealing
from pyithu.core.mirrors import short_form
from pyithu.outbox import services as outbox
from pyithu.sms import commands, lookups, replies
from pyithu.sms.lookups import Answer
from pyithu.sms.models import InboundText, Outcome

CHANNEL = "sms"
FLOOD_LIMIT = 5
FLOOD_WINDOW = timedelta(minutes=10)
# Inbound rows are only for throttling; older ones are deleted as new texts arrive.
PURGE_AFTER = timedelta(days=1)
# A reply not sent within this time is no use any more (the person has moved on).
REPLY_TTL = timedelta(hours=24)

_NUMBER = re.compile(r"\+?[0-9]{5,15}")
_NUMBER_NOISE = str.maketrans("၀၁၂၃၄၅၆၇၈၉", "0123456789", " -.()\u00a0")


class InboundError(Exception):
    """The gateway sent something that is not a text from a phone number."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def clean_number(raw: str) -> str:
    number = (raw or "").strip().translate(_NUMBER_NOISE)
    if not _NUMBER.fullmatch(number):
        raise InboundError(_("The sender must be a phone number."))
    return number


def sender_digest(number: str) -> str:
    return sealing.digest("sms-sender", number)


def _answer(parsed: commands.Parsed, sender: str) -> Answer:
    language = parsed.language
    if parsed.command in (commands.HELP, commands.EMPTY):
        return Answer(replies.render("help", language), Outcome.HELP)
    if parsed.command == commands.UNKNOWN:
        return Answer(replies.render("unknown", language), Outcome.UNKNOWN)
    if not parsed.code:
        shown = commands.SHOWN[parsed.command]
        return Answer(replies.render("missing_code", language, command=shown), Outcome.MISSING_CODE)
    if parsed.command == commands.STATUS:
        found = lookups.status(parsed.code, sender, language)
    else:
        found = lookups.result(parsed.code, language)
    return found or Answer(replies.render("not_found", language), Outcome.NOT_FOUND)


def _throttled(sender: str, language: str) -> Answer | None:
    """None while the sender is under the limit; then one "slow down", then silence."""
    recent = InboundText.objects.filter(
        sender_digest=sender, created_at__gte=timezone.now() - FLOOD_WINDOW
    )
    held = [Outcome.SLOWED_DOWN, Outcome.IGNORED]
    if recent.exclude(outcome__in=held).count() < FLOOD_LIMIT:
        return None
    if recent.filter(outcome=Outcome.SLOWED_DOWN).exists():
        return Answer("", Outcome.IGNORED)
    minutes = int(FLOOD_WINDOW.total_seconds() // 60)
    return Answer(replies.render("slow_down", language, minutes=minutes), Outcome.SLOWED_DOWN)


def _already_received(gateway_digest: str | None) -> InboundText | None:
    if not gateway_digest:
        return None
    return InboundText.objects.filter(gateway_digest=gateway_digest).first()


def receive(sender: str, text: str, *, gateway_id: str = "") -> InboundText:
    """Answer one inbound text (the reply is queued in the outbox). A text the gateway delivers
    twice (same ``gateway_id``) is answered once."""
    number = clean_number(sender)
    digest = sender_digest(number)
    gateway_digest = sealing.digest("sms-inbound-id", gateway_id[:200]) if gateway_id else None
    earlier = _already_received(gateway_digest)
    if earlier is not None:
        return earlier
    parsed = commands.parse(text)
    try:
        with transaction.atomic():
            InboundText.objects.filter(created_at__lt=timezone.now() - PURGE_AFTER).delete()
            answer = _throttled(digest, parsed.language) or _answer(parsed, digest)
            inbound = InboundText.objects.create(
                sender_digest=digest,
                gateway_digest=gateway_digest,
                command=parsed.command,
                language=parsed.language,
                outcome=answer.outcome,
            )
            if answer.text:
                inbound.reply = outbox.enqueue(
                    CHANNEL,
                    number,
                    answer.text,
                    dedupe_key=f"sms-reply:{inbound.pk}",
                    ttl=REPLY_TTL,
                )
                inbound.save(update_fields=["reply", "updated_at"])
            mirrors = short_form() if answer.outcome == Outcome.HELP else ""
            if mirrors:
                # A second, plain-text part: the hub's other addresses (decision 0027).
                outbox.enqueue(
                    CHANNEL, number, mirrors, dedupe_key=f"sms-mirrors:{inbound.pk}", ttl=REPLY_TTL
                )
    except IntegrityError:
        # The same gateway message arrived twice at once: the other request answered it.
        found = _already_received(gateway_digest)
        if found is None:
            raise
        return found
    return inbound
