"""What doctors do with a case: claim, reply, record an outcome, refer, publish availability.

Every function takes the acting doctor and checks the clinic rule itself (selectors.cases_for),
so a view, an API endpoint or a script cannot forget it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pyithu.core import audit
from pyithu.core.changes import changed
from pyithu.health.errors import HealthError
from pyithu.health.models import (
    AvailabilitySlot,
    CaseMessage,
    CaseStatus,
    Clinic,
    Consultation,
    Outcome,
)
from pyithu.health.selectors import cases_for, clinics_for
from pyithu.health.services.cases import record_claim
from pyithu.outbox import services as outbox

NOT_YOURS = _("Claim this case before you act on it.")


class CaseNotFound(HealthError):
    """Unknown, or in a clinic the doctor does not work in: the same answer for both."""

    def __init__(self) -> None:
        super().__init__(_("Case not found."))


def case_for(doctor: Any, case_id: Any) -> Consultation:
    try:
        return cases_for(doctor).get(pk=case_id)
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise CaseNotFound() from None


@transaction.atomic
def claim_case(doctor: Any, case_id: Any) -> Consultation:
    """Take a waiting case. A conditional update: of two doctors at once, exactly one wins."""
    case = case_for(doctor, case_id)
    won = Consultation.objects.filter(
        pk=case.pk, status=CaseStatus.WAITING, doctor__isnull=True, clinic=case.clinic
    ).update(status=CaseStatus.OPEN, doctor=doctor, claimed_at=timezone.now())
    if not won:
        raise HealthError(_("Another doctor has already taken this case."))
    changed(Consultation, [case.pk])
    record_claim(case, doctor)
    audit.record(doctor, "health.case_claim", case, summary=case.clinic.slug)
    case.refresh_from_db()
    return case


def _own_open(doctor: Any, case_id: Any) -> Consultation:
    case = case_for(doctor, case_id)
    locked = Consultation.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.OPEN or locked.doctor_id != doctor.pk:
        raise HealthError(NOT_YOURS)
    return locked


def _notify(case: Consultation, key: str) -> None:
    """Tell the patient a reply is waiting: never what it says, only that it exists."""
    if not case.contact_channel or not case.contact:
        return
    with translation.override(case.language or "my"):
        body = gettext("Pyithu health: a doctor replied. Open the service and enter your code.")
    outbox.enqueue(case.contact_channel, case.contact, body, dedupe_key=f"health:{key}")


@transaction.atomic
def reply(doctor: Any, case_id: Any, body: str) -> CaseMessage:
    case = _own_open(doctor, case_id)
    message = CaseMessage.objects.create(
        consultation=case, author=CaseMessage.Author.DOCTOR, doctor=doctor, body=body
    )
    _notify(case, f"reply:{message.pk}")
    audit.record(doctor, "health.case_reply", case)
    return message


@transaction.atomic
def record_outcome(
    doctor: Any,
    case_id: Any,
    kind: str,
    *,
    message: str = "",
    note: str = "",
    follow_up_on: date | None = None,
    referred_to: Clinic | None = None,
) -> Outcome:
    """Advice closes the case; a follow-up keeps it open with a date; a referral moves it,
    with its whole thread, to the specialist clinic's queue."""
    case = _own_open(doctor, case_id)
    if kind == Outcome.Kind.FOLLOW_UP and not follow_up_on:
        raise HealthError(_("Give the follow-up date."), "follow_up_on")
    if kind == Outcome.Kind.REFERRAL and (referred_to is None or referred_to == case.clinic):
        raise HealthError(_("Choose the clinic to refer to."), "referred_to")
    outcome = Outcome.objects.create(
        consultation=case,
        doctor=doctor,
        kind=kind,
        from_clinic=case.clinic,
        referred_to=referred_to if kind == Outcome.Kind.REFERRAL else None,
        note=note,
        follow_up_on=follow_up_on,
    )
    if message:
        CaseMessage.objects.create(
            consultation=case, author=CaseMessage.Author.DOCTOR, doctor=doctor, body=message
        )
        _notify(case, f"outcome:{outcome.pk}")
    if kind == Outcome.Kind.REFERRAL:
        assert referred_to is not None
        case.clinic, case.status, case.doctor, case.claimed_at = (
            referred_to,
            CaseStatus.WAITING,
            None,
            None,
        )
        CaseMessage.objects.create(
            consultation=case,
            author=CaseMessage.Author.SERVICE,
            body=f"→ {referred_to.name_en} / {referred_to.name_my}",
        )
    elif kind == Outcome.Kind.FOLLOW_UP:
        case.follow_up_on = follow_up_on
    elif kind == Outcome.Kind.ADVICE:
        case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
    case.save()
    audit.record(doctor, f"health.outcome_{kind}", case, summary=case.clinic.slug)
    return outcome


@transaction.atomic
def publish_slot(
    doctor: Any, clinic: Clinic, local_start: datetime, minutes: int, zone_name: str
) -> AvailabilitySlot:
    """A slot typed in the doctor's own time zone, stored in UTC (patients see Myanmar time)."""
    if not clinics_for(doctor).filter(pk=clinic.pk).exists():
        raise HealthError(_("You do not work in that clinic."), "clinic")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise HealthError(_("Unknown time zone."), "timezone") from None
    if not 10 <= minutes <= 480:
        raise HealthError(_("A slot lasts 10 minutes to 8 hours."), "minutes")
    start = local_start.replace(tzinfo=zone)
    if start <= timezone.now():
        raise HealthError(_("Choose a time in the future."), "starts_at")
    slot = AvailabilitySlot.objects.create(
        doctor=doctor,
        clinic=clinic,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        doctor_timezone=zone_name,
    )
    audit.record(doctor, "health.slot_publish", slot, summary=clinic.slug)
    return slot
