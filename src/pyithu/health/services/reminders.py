"""Reminders of appointments and follow-ups, through the outbox, on the channel the patient
chose, and the contact deleted when nothing needs it any more (decision 0017).

- A reminder says only that something is due and when, never which clinic or why: it may be
  read by whoever holds the phone. In Burmese it fits two SMS parts (134 UCS-2 characters).
- Each is queued once: the outbox's dedupe key names the appointment, or the case and the
  follow-up date; running ``pyithu health tick`` twice queues nothing new.
- The contact is a sealed field of the consultation. It is erased when the patient says STOP
  (web page or SMS, by code) and when the case is closed with no time still booked; a message
  already queued keeps its own sealed copy until the outbox has delivered it, then erases that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pyithu.core.changes import changed
from pyithu.core.digits import local_digits
from pyithu.health.models import Appointment, AppointmentStatus, CaseStatus, Consultation
from pyithu.outbox import services as outbox
from pyithu.outbox.models import Message

MYANMAR = ZoneInfo("Asia/Yangon")
# Channels a reminder can go out on (Consultation.contact_channel values with a transport).
CHANNELS = ("phone", "telegram")
APPOINTMENT_AHEAD = timedelta(hours=24)
TTL = timedelta(hours=20)

APPOINTMENT = _(
    "Pyithu health: your appointment is at %(when)s Myanmar time. Open it with your code. "
    "No more messages: send STOP and the code."
)
CANCELLED = _(
    "Pyithu health: your appointment at %(when)s Myanmar time is cancelled. "
    "Choose another time with your code."
)
FOLLOW_UP = _(
    "Pyithu health: your follow-up is on %(date)s. Open it with your code. "
    "No more messages: send STOP and the code."
)


@dataclass
class Queued:
    appointments: int = 0
    follow_ups: int = 0
    forgotten: int = 0


def appointment_text(starts_at: datetime, language: str) -> str:
    local = starts_at.astimezone(MYANMAR)
    with translation.override(language or "my"):
        when = local_digits(f"{local:%d-%m %H:%M}")
        return gettext(APPOINTMENT) % {"when": when}


def cancelled_text(starts_at: datetime, language: str) -> str:
    local = starts_at.astimezone(MYANMAR)
    with translation.override(language or "my"):
        when = local_digits(f"{local:%d-%m %H:%M}")
        return gettext(CANCELLED) % {"when": when}


def tell_cancelled(appointment: Appointment) -> bool:
    """The service cancelled a time (its doctor stopped): say so, and nothing else."""
    case = appointment.consultation
    if not _reachable(case):
        return False
    outbox.enqueue(
        case.contact_channel,
        case.contact,
        cancelled_text(appointment.starts_at, case.language),
        dedupe_key=f"health-remind:cancel:{appointment.pk}",
        ttl=TTL,
    )
    return True


def follow_up_text(day: object, language: str) -> str:
    with translation.override(language or "my"):
        return gettext(FOLLOW_UP) % {"date": local_digits(f"{day:%d-%m-%Y}")}


def _reachable(case: Consultation) -> bool:
    return case.contact_channel in CHANNELS and bool(case.contact)


def queue_appointment_reminders(now: datetime) -> int:
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + APPOINTMENT_AHEAD,
    ).select_related("consultation")
    count = 0
    for appointment in due:
        case = appointment.consultation
        if _reachable(case):
            outbox.enqueue(
                case.contact_channel,
                case.contact,
                appointment_text(appointment.starts_at, case.language),
                dedupe_key=f"health-remind:appt:{appointment.pk}",
                ttl=TTL,
                now=now,
            )
            count += 1
        Appointment.objects.filter(pk=appointment.pk).update(reminded_at=now)
    return count


def queue_follow_up_reminders(now: datetime) -> int:
    """The day before a follow-up (Myanmar date), once per case and date."""
    tomorrow = now.astimezone(MYANMAR).date() + timedelta(days=1)
    due = Consultation.objects.filter(follow_up_on=tomorrow).exclude(status=CaseStatus.CLOSED)
    count = 0
    for case in due:
        key = f"health-remind:fu:{case.pk}:{tomorrow.isoformat()}"
        if _reachable(case) and not Message.objects.filter(dedupe_key=key).exists():
            outbox.enqueue(
                case.contact_channel,
                case.contact,
                follow_up_text(tomorrow, case.language),
                dedupe_key=key,
                ttl=TTL,
                now=now,
            )
            count += 1
    return count


def forget_contacts(now: datetime) -> int:
    """Closed cases with no time still booked need no contact: erase it."""
    upcoming = Appointment.objects.filter(
        consultation=OuterRef("pk"), status=AppointmentStatus.BOOKED, starts_at__gt=now
    )
    done = list(
        Consultation.objects.filter(status=CaseStatus.CLOSED)
        .exclude(contact_channel="")
        .exclude(Exists(upcoming))
        .values_list("pk", flat=True)
    )
    Consultation.objects.filter(pk__in=done).update(contact_channel="", contact="", updated_at=now)
    changed(Consultation, done)
    return len(done)


@transaction.atomic
def run(now: datetime | None = None) -> Queued:
    now = now or timezone.now()
    return Queued(
        appointments=queue_appointment_reminders(now),
        follow_ups=queue_follow_up_reminders(now),
        forgotten=forget_contacts(now),
    )


@transaction.atomic
def stop_messages(case: Consultation) -> None:
    """The patient wants no more messages: the sealed contact is erased, nothing else is kept
    of it (no reminder, no reply notice can go out afterwards)."""
    Consultation.objects.filter(pk=case.pk).update(
        contact_channel="", contact="", updated_at=timezone.now()
    )
    changed(Consultation, [case.pk])
    case.contact_channel, case.contact = "", ""
