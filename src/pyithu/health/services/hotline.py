"""The live hotline: numbers and hours, the counsellors' rota, a priority queue of call-back
requests, and alerts when nobody has answered (decision 0019).

Privacy: a request keeps only what the person chose to give (a number or chat handle to call
back, an optional message), sealed; no account, address or name. When the request is closed
the contact and the message are erased; a counsellor's short note (sealed, optional) stays.
Alerts say how many wait and for how long, never who or why.

Concurrency: a counsellor takes a request by a conditional update (of two at once, one wins);
the alert command marks each request alerted by a conditional update, so two runs alert once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from pyithu.accounts.models import Role, RoleGrant
from pyithu.core import audit
from pyithu.core.changes import changed
from pyithu.core.digits import local_digits
from pyithu.health.errors import HealthError
from pyithu.health.models import (
    CallbackRequest,
    CounsellorShift,
    HotlineNumber,
    HotlinePriority,
    HotlineSettings,
)
from pyithu.outbox import services as outbox

MINISTRY = "health"
CONTACT_CHANNELS = ("phone", "telegram")
Status = CallbackRequest.Status
OPEN_STATES = (Status.WAITING, Status.CALLING, Status.NO_ANSWER)

NOT_FOUND = _("This request is not in the queue any more.")
ONLY_COUNSELLORS = _("Only hotline counsellors can answer requests.")
ESCALATED = _("Pyithu hotline: a counsellor escalated request %(ref)s. Open the hotline queue.")
LATE = _("Pyithu hotline: waiting more than %(m)s minutes: %(n)s. Open the hotline queue.")


@dataclass(frozen=True)
class Wait:
    """What the person is told: their place, who is on duty, and a plain estimate."""

    ahead: int
    on_duty: int
    minutes: int | None  # None: nobody on duty now
    next_shift: datetime | None


def settings_row() -> HotlineSettings:
    return HotlineSettings.objects.order_by("created_at").first() or HotlineSettings()


def numbers() -> QuerySet[HotlineNumber]:
    return HotlineNumber.objects.filter(active=True)


def is_counsellor(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return RoleGrant.objects.filter(
        user=user, role=Role.COUNSELLOR, ministry=MINISTRY, revoked_at__isnull=True
    ).exists()


def on_duty(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return (
        CounsellorShift.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .values("counsellor")
        .distinct()
        .count()
    )


def next_shift(now: datetime | None = None) -> datetime | None:
    now = now or timezone.now()
    found = CounsellorShift.objects.filter(starts_at__gt=now).order_by("starts_at").first()
    return found.starts_at if found else None


def ahead_of(request: CallbackRequest) -> int:
    """Requests a counsellor will take first: more urgent, or as urgent and waiting longer."""
    return (
        CallbackRequest.objects.filter(status=Status.WAITING)
        .filter(
            Q(priority__gt=request.priority)
            | Q(priority=request.priority, waiting_since__lt=request.waiting_since)
        )
        .count()
    )


def estimate(priority: int, ahead: int, now: datetime | None = None) -> Wait:
    """Minutes until a counsellor calls: rounds of calls before this one, each the average call
    length, shared by the counsellors on duty now."""
    now = now or timezone.now()
    duty = on_duty(now)
    if duty == 0:
        return Wait(ahead, 0, None, next_shift(now))
    rounds = math.ceil((ahead + 1) / duty)
    minutes = (rounds - 1) * settings_row().minutes_per_call
    return Wait(ahead, duty, max(minutes, 5), None)


def wait_for(request: CallbackRequest) -> Wait:
    return estimate(request.priority, ahead_of(request))


def queue_wait(priority: int = HotlinePriority.TALK) -> Wait:
    """The wait a new request of this priority would have now."""
    ahead = CallbackRequest.objects.filter(status=Status.WAITING, priority__gte=priority).count()
    return estimate(priority, ahead)


def wait_text(wait: Wait) -> str:
    """The wait in one plain sentence, in the active language."""
    if wait.minutes is None:
        return gettext("No counsellor is on duty right now. Call one of the numbers below.")
    return ngettext(
        "About %(n)s minute before a counsellor calls you.",
        "About %(n)s minutes before a counsellor calls you.",
        wait.minutes,
    ) % {"n": local_digits(str(wait.minutes))}


@transaction.atomic
def request_callback(
    *,
    priority: int,
    language: str,
    contact_channel: str,
    contact: str,
    message: str = "",
    via: str = CallbackRequest.Channel.WEB,
) -> CallbackRequest:
    """Join the queue. Only the contact (to call back) is needed; everything is sealed."""
    if priority not in HotlinePriority.values:
        raise HealthError(_("Choose how urgent it is."), "priority")
    if contact_channel not in CONTACT_CHANNELS:
        raise HealthError(_("Choose how we should call you back."), "contact_channel")
    if not contact.strip():
        raise HealthError(_("Write the number or Telegram name we should call."), "contact")
    return CallbackRequest.objects.create(
        via=via,
        priority=priority,
        language=language,
        contact_channel=contact_channel,
        contact=contact.strip(),
        message=message,
        waiting_since=timezone.now(),
    )


def queue() -> QuerySet[CallbackRequest]:
    """Open requests by priority, then longest waiting; those being called last."""
    return CallbackRequest.objects.filter(status__in=OPEN_STATES).order_by(
        "-priority", "waiting_since", "id"
    )


def _require(counsellor: Any) -> None:
    if not is_counsellor(counsellor):
        raise HealthError(ONLY_COUNSELLORS)


def _open(request_id: Any) -> CallbackRequest:
    try:
        found = CallbackRequest.objects.select_for_update().filter(pk=request_id).first()
    except (ValueError, TypeError):
        found = None
    if found is None or found.status == Status.CLOSED:
        raise HealthError(NOT_FOUND)
    return found


@transaction.atomic
def take(counsellor: Any, request_id: Any) -> CallbackRequest:
    """A counsellor takes a request to call. Of two at once, exactly one wins."""
    _require(counsellor)
    won = CallbackRequest.objects.filter(
        pk=request_id, status__in=(Status.WAITING, Status.NO_ANSWER)
    ).update(status=Status.CALLING, counsellor=counsellor, answered_at=timezone.now())
    if not won:
        raise HealthError(_("Another counsellor has already taken this request."))
    changed(CallbackRequest, [request_id])
    found = CallbackRequest.objects.get(pk=request_id)
    audit.record(counsellor, "health.hotline_take", found)
    return found


def _erase(found: CallbackRequest, now: datetime) -> None:
    found.contact, found.message = "", ""
    found.status, found.closed_at = Status.CLOSED, now


@transaction.atomic
def record_call(counsellor: Any, request_id: Any, *, talked: bool, note: str = "") -> None:
    """After calling: talked (the request closes and its contact is erased) or no answer (it
    goes back to the queue for another try, keeping its place)."""
    _require(counsellor)
    found = _open(request_id)
    if found.status != Status.CALLING or found.counsellor_id != counsellor.pk:
        raise HealthError(_("Take this request before you record the call."))
    now = timezone.now()
    if note:
        found.note = note
    if talked:
        _erase(found, now)
    else:
        found.status, found.counsellor = Status.NO_ANSWER, None
    found.save()
    audit.record(
        counsellor, "health.hotline_talked" if talked else "health.hotline_no_answer", found
    )


@transaction.atomic
def close(counsellor: Any, request_id: Any, note: str = "") -> None:
    """Close without a call (a duplicate, or many tries unanswered): the contact is erased."""
    _require(counsellor)
    found = _open(request_id)
    if note:
        found.note = note
    _erase(found, timezone.now())
    found.save()
    audit.record(counsellor, "health.hotline_close", found)


@transaction.atomic
def cancel_by_person(request_id: Any) -> None:
    """The person no longer wants a call: everything they gave is erased at once."""
    found = _open(request_id)
    _erase(found, timezone.now())
    found.save()


def _alert(message: Any, key: str, **values: Any) -> bool:
    """One message to the coordinator, in Burmese. False when no coordinator is set."""
    config = settings_row()
    if not config.coordinator_contact:
        return False
    with translation.override("my"):
        body = str(message) % values
    outbox.enqueue(config.coordinator_channel, config.coordinator_contact, body, dedupe_key=key)
    return True


@transaction.atomic
def escalate(counsellor: Any, request_id: Any, note: str = "") -> CallbackRequest:
    """The person is in danger: top of the queue, and the coordinator is told at once."""
    _require(counsellor)
    found = _open(request_id)
    found.priority = HotlinePriority.DANGER
    found.escalated_at = timezone.now()
    if note:
        found.note = note
    found.save()
    _alert(
        ESCALATED,
        f"hotline-escalate:{found.pk}",
        ref=found.reference,
    )
    audit.record(counsellor, "health.hotline_escalate", found)
    return found


def alert_unanswered(now: datetime | None = None) -> int:
    """Alert the coordinator once about requests waiting longer than the set minutes.
    Returns how many requests the alert covered (0: none waiting, or no coordinator set)."""
    now = now or timezone.now()
    config = settings_row()
    if not config.coordinator_contact:
        return 0
    cutoff = now - timedelta(minutes=config.alert_after_minutes)
    with transaction.atomic():
        late = list(
            CallbackRequest.objects.filter(
                status__in=(Status.WAITING, Status.NO_ANSWER),
                waiting_since__lte=cutoff,
                alerted_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        claimed = CallbackRequest.objects.filter(pk__in=late, alerted_at__isnull=True).update(
            alerted_at=now
        )
        if not claimed:
            return 0
        changed(CallbackRequest, late)
        _alert(
            LATE,
            f"hotline-late:{now.isoformat()}",
            n=local_digits(claimed, "my"),
            m=local_digits(config.alert_after_minutes, "my"),
        )
    return claimed


@transaction.atomic
def add_shift(by: Any, counsellor: Any, starts_at: datetime, ends_at: datetime) -> CounsellorShift:
    """Put a counsellor on the rota (the counsellor themself, or a coordinator)."""
    if not is_counsellor(counsellor):
        raise HealthError(ONLY_COUNSELLORS, "counsellor")
    if by != counsellor and not by.has_perm("health.add_counsellorshift"):
        raise HealthError(_("Only a coordinator puts others on the rota."))
    if ends_at <= starts_at or ends_at - starts_at > timedelta(hours=12):
        raise HealthError(_("A shift ends after it starts and lasts at most 12 hours."), "ends_at")
    if ends_at <= timezone.now():
        raise HealthError(_("Choose a time in the future."), "ends_at")
    shift = CounsellorShift.objects.create(
        counsellor=counsellor, starts_at=starts_at, ends_at=ends_at
    )
    audit.record(by, "health.hotline_shift", shift)
    return shift
