"""Rosters and appointments: doctors offer weekly hours in their own time zone, patients take a
slot by their booking code (web, SMS), shown in Myanmar time.

The protocol (decision 0016):

- A roster is a weekly window in the doctor's zone; slots are computed from it in UTC on every
  read, never stored until taken. A slot is named by its roster and its UTC start (``token``).
- Taking a slot inserts an ``Appointment``; the partial unique constraint ``(doctor,
  starts_at) WHERE status = 'booked'`` is the only arbiter. Of two people taking one slot at once,
  the database lets exactly one insert through; the other gets ``SlotTaken`` and nothing of
  theirs changes (the insert runs in a savepoint, a reschedule's cancellation rolls back with it).
- A consultation holds at most one booked appointment (a second partial unique constraint).
- Cancelling frees the slot at once (the row leaves the constraint); a no-show is recorded only
  once the time has begun, so the slot is closed, never offered again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.core import audit
from pyithu.core.ids import parse_id
from pyithu.health.errors import HealthError
from pyithu.health.models import (
    Appointment,
    AppointmentStatus,
    CaseStatus,
    Clinic,
    Consultation,
    Roster,
)
from pyithu.health.selectors import clinic_slugs_for, clinics_for

MYANMAR = ZoneInfo("Asia/Yangon")
# How far ahead slots are offered, and how soon a slot may still be taken.
HORIZON_DAYS = 14
LEAD = timedelta(minutes=30)
SLOT_MINUTES = (10, 15, 20, 30, 45, 60)

TAKEN = _("This time was just taken by someone else. Choose another time.")
NO_SUCH_SLOT = _("That time is not offered. Choose one of the times listed.")
NO_SUCH_APPOINTMENT = _("No booked time matches your code. Open your consultation again.")


class SlotTaken(HealthError):
    def __init__(self) -> None:
        super().__init__(TAKEN, "slot")


@dataclass(frozen=True)
class Slot:
    roster: Roster
    starts_at: datetime  # UTC
    ends_at: datetime

    @property
    def token(self) -> str:
        """What a form posts: the roster and the UTC start (seconds), nothing secret."""
        return f"{self.roster.pk.hex}-{int(self.starts_at.timestamp())}"

    @property
    def clinic(self) -> Clinic:
        return self.roster.clinic

    @property
    def myanmar(self) -> datetime:
        return self.starts_at.astimezone(MYANMAR)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise HealthError(_("Unknown time zone."), "timezone") from None


def _roster_slots(roster: Roster, first: date, last: date) -> list[Slot]:
    """Every slot of ``roster`` on local days ``first``..``last``, in UTC."""
    tz = ZoneInfo(roster.timezone)
    step = timedelta(minutes=roster.slot_minutes)
    slots = []
    day = first
    while day <= last:
        if day.weekday() == roster.weekday:
            start = datetime.combine(day, roster.starts, tzinfo=tz)
            end = datetime.combine(day, roster.ends, tzinfo=tz)
            while start + step <= end:
                utc = start.astimezone(UTC)
                slots.append(Slot(roster, utc, utc + step))
                start += step
        day += timedelta(days=1)
    return slots


def _active_rosters(clinic: Clinic | None) -> list[Roster]:
    rosters = Roster.objects.filter(active=True, clinic__active=True).select_related("clinic")
    if clinic is not None:
        rosters = rosters.filter(clinic=clinic)
    # A roster counts only while its doctor still works in its clinic.
    slugs: dict[Any, set[str]] = {}
    kept = []
    for roster in rosters:
        if roster.doctor_id not in slugs:
            slugs[roster.doctor_id] = clinic_slugs_for(roster.doctor)
        if roster.clinic.slug in slugs[roster.doctor_id]:
            kept.append(roster)
    return kept


def free_slots(
    clinic: Clinic | None = None, *, now: datetime | None = None, limit: int = 12
) -> list[Slot]:
    """The next free slots (earliest first), of one clinic or all."""
    now = now or timezone.now()
    rosters = _active_rosters(clinic)
    first = (now - timedelta(days=1)).date()
    last = (now + timedelta(days=HORIZON_DAYS)).date()
    doctors = {r.doctor_id for r in rosters}
    taken = set(
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED, starts_at__gte=now, doctor__in=doctors
        ).values_list("doctor_id", "starts_at")
    )
    slots = [
        slot
        for roster in rosters
        for slot in _roster_slots(roster, first, last)
        if slot.starts_at >= now + LEAD
        and slot.starts_at <= now + timedelta(days=HORIZON_DAYS)
        and (roster.doctor_id, slot.starts_at) not in taken
    ]
    slots.sort(key=lambda s: (s.starts_at, s.roster.pk))
    return slots[:limit]


def slot_for(token: str, *, now: datetime | None = None) -> Slot:
    """The offered slot a token names, or ``NO_SUCH_SLOT`` (taken slots are checked on insert)."""
    now = now or timezone.now()
    roster_hex, _sep, seconds = (token or "").partition("-")
    roster_id = parse_id(roster_hex)
    if roster_id is None or not seconds.isdigit() or len(seconds) > 12:
        raise HealthError(NO_SUCH_SLOT, "slot")
    roster = Roster.objects.filter(pk=roster_id, active=True).select_related("clinic").first()
    starts_at = datetime.fromtimestamp(int(seconds), tz=UTC)
    if roster is None or roster not in _active_rosters(roster.clinic):
        raise HealthError(NO_SUCH_SLOT, "slot")
    local_day = starts_at.astimezone(ZoneInfo(roster.timezone)).date()
    for slot in _roster_slots(roster, local_day, local_day):
        if slot.starts_at == starts_at and now + LEAD <= starts_at:
            return slot
    raise HealthError(NO_SUCH_SLOT, "slot")


def booked(case: Consultation) -> Appointment | None:
    return (
        case.appointments.filter(status=AppointmentStatus.BOOKED).select_related("clinic").first()
    )


def _insert(case: Consultation, slot: Slot) -> Appointment:
    try:
        with transaction.atomic():
            return Appointment.objects.create(
                consultation=case,
                roster=slot.roster,
                doctor_id=slot.roster.doctor_id,
                clinic=slot.roster.clinic,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
            )
    except IntegrityError:
        if booked(case) is not None:
            raise HealthError(
                _("You already have a time. Change it or cancel it first."), "slot"
            ) from None
        raise SlotTaken() from None


def _open(case: Consultation) -> Consultation:
    locked = Consultation.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise HealthError(
            _("This consultation is closed. Book a new one if you need more help."), "slot"
        )
    return locked


@transaction.atomic
def take_slot(case: Consultation, token: str, *, now: datetime | None = None) -> Appointment:
    """Book the slot for the consultation opened by its code."""
    locked = _open(case)
    slot = slot_for(token, now=now)
    return _insert(locked, slot)


def _own(case: Consultation, appointment_id: Any) -> Appointment:
    """The booked appointment of this consultation: one of another case is "not found"."""
    found = (
        Appointment.objects.select_for_update()
        .filter(
            pk=parse_id(appointment_id),
            consultation=case,
            status=AppointmentStatus.BOOKED,
        )
        .first()
    )
    if found is None:
        raise HealthError(NO_SUCH_APPOINTMENT, "slot")
    return found


@transaction.atomic
def reschedule(
    case: Consultation, appointment_id: Any, token: str, *, now: datetime | None = None
) -> Appointment:
    """Move to another slot in one step: if the new slot is taken meanwhile, the old one stays."""
    locked = _open(case)
    old = _own(locked, appointment_id)
    slot = slot_for(token, now=now)
    old.status = AppointmentStatus.CANCELLED
    old.save(update_fields=["status", "updated_at"])
    return _insert(locked, slot)


@transaction.atomic
def cancel(case: Consultation, appointment_id: Any) -> Appointment:
    found = _own(case, appointment_id)
    found.status = AppointmentStatus.CANCELLED
    found.save(update_fields=["status", "updated_at"])
    return found


@transaction.atomic
def record_no_show(doctor: Any, appointment_id: Any, *, now: datetime | None = None) -> Appointment:
    """The patient did not come: recorded by their doctor once the time has begun (the slot is
    then past, so closed; the patient may take another time with their code)."""
    now = now or timezone.now()
    found = (
        Appointment.objects.select_for_update()
        .filter(pk=parse_id(appointment_id), doctor=doctor, status=AppointmentStatus.BOOKED)
        .first()
    )
    if found is None:
        raise HealthError(_("Appointment not found."))
    if found.starts_at > now:
        raise HealthError(_("A no-show can be recorded only once the time has begun."))
    found.status = AppointmentStatus.NO_SHOW
    found.save(update_fields=["status", "updated_at"])
    audit.record(doctor, "health.appointment_no_show", found, summary=found.clinic.slug)
    return found


@transaction.atomic
def publish_roster(
    doctor: Any,
    clinic: Clinic,
    weekday: int,
    starts: time,
    ends: time,
    slot_minutes: int,
    zone_name: str,
) -> Roster:
    """A weekly window in the doctor's own zone (the zone is stored by name, so the hours follow
    its daylight-saving changes)."""
    if not clinics_for(doctor).filter(pk=clinic.pk).exists():
        raise HealthError(_("You do not work in that clinic."), "clinic")
    zone(zone_name)
    if not 0 <= weekday <= 6:
        raise HealthError(_("Choose a day of the week."), "weekday")
    if slot_minutes not in SLOT_MINUTES:
        raise HealthError(_("Choose the minutes per patient from the list."), "slot_minutes")
    span = datetime.combine(date.min, ends) - datetime.combine(date.min, starts)
    if span < timedelta(minutes=slot_minutes):
        raise HealthError(_("The end must be at least one slot after the start."), "ends")
    roster = Roster.objects.create(
        doctor=doctor,
        clinic=clinic,
        weekday=weekday,
        starts=starts,
        ends=ends,
        slot_minutes=slot_minutes,
        timezone=zone_name,
    )
    audit.record(doctor, "health.roster_publish", roster, summary=clinic.slug)
    return roster


@transaction.atomic
def withdraw_roster(doctor: Any, roster_id: Any) -> None:
    """Stop offering a window; times already booked stay booked."""
    done = Roster.objects.filter(pk=parse_id(roster_id), doctor=doctor, active=True).update(
        active=False, updated_at=timezone.now()
    )
    if not done:
        raise HealthError(_("Hours not found."))
    audit.record(doctor, "health.roster_withdraw", None, summary=str(roster_id)[:40])


def doctor_appointments(doctor: Any, *, now: datetime | None = None) -> list[Appointment]:
    """A doctor's booked times from the last day on (so a no-show can still be recorded)."""
    now = now or timezone.now()
    return list(
        Appointment.objects.filter(
            doctor=doctor, status=AppointmentStatus.BOOKED, ends_at__gte=now - timedelta(days=1)
        ).select_related("consultation", "clinic")[:50]
    )
