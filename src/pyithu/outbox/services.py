"""Queueing and delivering messages. Safe with several workers: a message is claimed with a
conditional update before it is sent, and a transport that raises only schedules a retry."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from pyithu.outbox import transports
from pyithu.outbox.models import Message, MessageState

log = logging.getLogger(__name__)

DEFAULT_TTL = timedelta(days=7)
# A worker that claimed a message and died gives it back after this long.
CLAIM_LEASE = timedelta(minutes=5)
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=6)
MAX_ATTEMPTS = 12


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min ... capped at 6 hours."""
    return min(BASE_BACKOFF * (2 ** max(0, attempts - 1)), MAX_BACKOFF)


def enqueue(
    channel: str,
    address: str,
    body: str,
    *,
    dedupe_key: str = "",
    ttl: timedelta = DEFAULT_TTL,
    now: datetime | None = None,
) -> Message:
    """Queue one message. The same ``dedupe_key`` twice queues it once (returns the first).

    The channel's meter (if its transport has one) records the segments and cost.
    """
    now = now or timezone.now()
    usage = transports.measure(channel, body)
    fields = {
        "channel": channel,
        "address": address,
        "body": body,
        "next_attempt_at": now,
        "expires_at": now + ttl,
        "segments": usage.segments,
        "cost": usage.cost,
    }
    if dedupe_key:
        fields["dedupe_key"] = dedupe_key
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Message.objects.create(**fields)
    except IntegrityError:
        return Message.objects.get(dedupe_key=dedupe_key)


def _erase(state: str, **extra: object) -> dict[str, object]:
    """A finished message keeps its state and counts, never its address or body."""
    return {"state": state, "address": "", "body": "", **extra}


def expire_due(now: datetime) -> int:
    pending = Q(state=MessageState.QUEUED) | Q(state=MessageState.SENDING, next_attempt_at__lte=now)
    return Message.objects.filter(pending, expires_at__lte=now).update(
        **_erase(MessageState.EXPIRED)
    )


def _claim(message: Message, now: datetime) -> bool:
    """Take the message for this worker; False when another worker took it first."""
    return bool(
        Message.objects.filter(
            pk=message.pk, state=message.state, next_attempt_at=message.next_attempt_at
        ).update(
            state=MessageState.SENDING,
            next_attempt_at=now + CLAIM_LEASE,
            attempts=F("attempts") + 1,
        )
    )


def _deliver_one(message: Message, now: datetime, report: DeliveryReport) -> None:
    attempts = message.attempts + 1
    try:
        transports.send(message.channel, message.address, message.body, key=str(message.pk))
    except Exception as exc:  # a transport fault means "try again later" (unless undeliverable)
        error = type(exc).__name__[:100]
        report.errors.append(error)
        log.warning(
            "outbox: %s transport failed (%s), attempt %d", message.channel, error, attempts
        )
        if attempts >= MAX_ATTEMPTS or isinstance(exc, transports.Undeliverable):
            Message.objects.filter(pk=message.pk).update(
                **_erase(MessageState.FAILED, last_error=error)
            )
            report.failed += 1
        else:
            Message.objects.filter(pk=message.pk).update(
                state=MessageState.QUEUED, next_attempt_at=now + backoff(attempts), last_error=error
            )
            report.retried += 1
        return
    Message.objects.filter(pk=message.pk).update(
        **_erase(MessageState.SENT, sent_at=timezone.now())
    )
    report.sent += 1


def deliver_due(now: datetime | None = None, *, limit: int = 100) -> DeliveryReport:
    """Send what is due: queued messages whose time has come, and claims that lapsed."""
    now = now or timezone.now()
    report = DeliveryReport(expired=expire_due(now))
    due = Q(state=MessageState.QUEUED) | Q(state=MessageState.SENDING)
    candidates = list(
        Message.objects.filter(due, next_attempt_at__lte=now, expires_at__gt=now).order_by(
            "next_attempt_at", "id"
        )[:limit]
    )
    for message in candidates:
        if _claim(message, now):
            _deliver_one(message, now, report)
    return report


def state_counts() -> dict[str, int]:
    counts = dict.fromkeys(MessageState.values, 0)
    for row in Message.objects.values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts
