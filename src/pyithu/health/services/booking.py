"""Booking a consultation, and everything a patient does with their booking code alone."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.accounts import services as accounts
from pyithu.core import sealing
from pyithu.geo.models import Township
from pyithu.health.errors import HealthError
from pyithu.health.models import CaseMessage, CaseStatus, Clinic, Consultation, Urgency
from pyithu.health.screening import Screening, screen

# No 0/o, 1/l/i: the code is copied by hand. 16 characters of 31 ≈ 79 bits.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 16
# Failed code look-ups allowed per client address in the login window.
CODE_LOOKUPS_PER_ADDRESS = 20

NOT_FOUND = _("No consultation matches that code. Check it and try again.")


class RedFlagRaised(HealthError):
    """The booking was not made: the screening found an emergency or suicidal thoughts."""

    def __init__(self, screening: Screening, kind: str) -> None:
        super().__init__(_("This may be an emergency."))
        self.screening = screening
        self.kind = kind  # "suicide", "emergency" (refused) or "check" (confirm to continue)


@dataclass(frozen=True)
class Booking:
    symptoms: str
    age_band: str
    sex: str
    language: str
    township: Township | None = None
    abroad_country: str = ""
    urgency: int = Urgency.ROUTINE
    contact_channel: str = ""
    contact: str = ""


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def clean_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch in CODE_ALPHABET)


def code_digest(code: str) -> str:
    return sealing.digest("health-booking", clean_code(code))


def _check_red_flags(screening: Screening, clinic: Clinic, confirmed: bool) -> None:
    if screening.suicide(mental_health_clinic=clinic.is_mental_health):
        raise RedFlagRaised(screening, "suicide")
    if screening.emergency_ticked:
        raise RedFlagRaised(screening, "emergency")
    if screening.emergency_matched and not confirmed:
        raise RedFlagRaised(screening, "check")


def bookable_clinic(slug: str = "") -> Clinic:
    clinic = Clinic.objects.filter(slug=slug or Clinic.GENERAL, active=True, direct_booking=True)
    return clinic.first() or Clinic.objects.get(slug=Clinic.GENERAL)


@transaction.atomic
def book_consultation(
    booking: Booking,
    *,
    red_flags: list[str] | tuple[str, ...] = (),
    not_happening_now: bool = False,
    clinic: Clinic | None = None,
    patient: Any = None,
) -> tuple[Consultation, str]:
    """Book, or refuse with ``RedFlagRaised``. Returns the code: it exists nowhere else."""
    clinic = clinic or bookable_clinic()
    if bool(booking.township) == bool(booking.abroad_country):
        raise HealthError(_("Choose a township, or a country if you are abroad."), "township")
    if booking.contact_channel and not booking.contact:
        raise HealthError(_("Write your handle or number, or choose no contact."), "contact")
    screening = screen(red_flags, booking.symptoms)
    _check_red_flags(screening, clinic, not_happening_now)
    urgency = booking.urgency
    if screening.flags:
        urgency = Urgency.URGENT
    code = new_code()
    consultation = Consultation.objects.create(
        code_digest=code_digest(code),
        patient=patient if getattr(patient, "is_authenticated", False) else None,
        clinic=clinic,
        urgency=urgency,
        symptoms=booking.symptoms,
        age_band=booking.age_band,
        sex=booking.sex,
        township=booking.township,
        abroad_country=booking.abroad_country.upper(),
        language=booking.language,
        contact_channel=booking.contact_channel,
        contact=booking.contact if booking.contact_channel else "",
        waiting_since=timezone.now(),
    )
    return consultation, code


def find_by_code(code: str, address: str) -> Consultation:
    """The consultation for a code, or one constant refusal. Failures count per address."""
    try:
        attempt = accounts.code_lookup_attempt(
            "health-code-addr", address, CODE_LOOKUPS_PER_ADDRESS
        )
    except accounts.LoginThrottled as exc:
        raise HealthError(exc.message, "code") from None
    cleaned = clean_code(code)
    found = None
    if len(cleaned) == CODE_LENGTH:
        found = Consultation.objects.filter(code_digest=code_digest(cleaned)).first()
    if found is None:
        raise HealthError(NOT_FOUND, "code")
    attempt.succeeded()
    return found


@transaction.atomic
def add_patient_message(consultation: Consultation, body: str) -> CaseMessage:
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status == CaseStatus.CLOSED:
        raise HealthError(
            _("This consultation is closed. Book a new one if you need more help."), "body"
        )
    return CaseMessage.objects.create(
        consultation=locked, author=CaseMessage.Author.PATIENT, body=body
    )
