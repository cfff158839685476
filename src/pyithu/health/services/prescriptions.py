"""Issuing and dispensing signed prescriptions."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.core import audit, sealing
from pyithu.core.changes import changed
from pyithu.health.errors import HealthError
from pyithu.health.models import Outcome, Prescription
from pyithu.health.services.consults import _own_open
from pyithu.health.signing import InvalidPrescription, sign, verify_text

MAX_ITEMS = 10
MAX_VALID_DAYS = 90
NOT_VALID = _("Not valid: this prescription was not issued by this service, or was altered.")


def prescriber_pseudonym(doctor: Any) -> str:
    """Stable per doctor, meaningless outside the service: pharmacies need no name."""
    return "dr-" + sealing.digest("rx-prescriber", str(doctor.pk))[:10]


@transaction.atomic
def issue_prescription(
    doctor: Any, case_id: Any, items: list[dict[str, str]], *, valid_days: int = 30
) -> Prescription:
    case = _own_open(doctor, case_id)
    items = [
        {k: str(item.get(k, "")).strip() for k in ("medicine", "dose", "quantity")}
        for item in items
        if str(item.get("medicine", "")).strip()
    ]
    if not items:
        raise HealthError(_("Add at least one medicine."), "medicine_1")
    if len(items) > MAX_ITEMS or not 1 <= valid_days <= MAX_VALID_DAYS:
        raise HealthError(_("At most 10 medicines, valid for 1 to 90 days."), "valid_days")
    if any(not item["dose"] or not item["quantity"] for item in items):
        raise HealthError(_("Every medicine needs a dose and a quantity."), "medicine_1")
    today = timezone.localdate()
    valid_until = today + timedelta(days=valid_days)
    prescription_id = uuid.uuid4()
    text = sign(
        {
            "v": 1,
            "id": str(prescription_id),
            "clinic": case.clinic.slug,
            "prescriber": prescriber_pseudonym(doctor),
            "issued": today.isoformat(),
            "valid_until": valid_until.isoformat(),
            "items": items,
        }
    )
    prescription = Prescription.objects.create(
        id=prescription_id, consultation=case, signed_text=text, valid_until=valid_until
    )
    Outcome.objects.create(
        consultation=case, doctor=doctor, kind=Outcome.Kind.PRESCRIPTION, from_clinic=case.clinic
    )
    audit.record(doctor, "health.prescription_issue", prescription, summary=case.clinic.slug)
    return prescription


NUMBER = re.compile(r"[0-9A-F]{4}(-?[0-9A-F]{4}){3}")


def number(prescription: Prescription) -> str:
    """What a pharmacist can type instead of the whole signed text: the first 64 bits of the
    prescription's random id, in four groups (e.g. ``4F1A-09C2-77DE-5B10``)."""
    digits = prescription.pk.hex[:16].upper()
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def text_by_number(pharmacist: Any, typed: str) -> str:
    """The signed text of the prescription with this number. Only for registered pharmacists
    (the public checks the signed text itself); an unknown number is "not valid" like a forgery.
    The id is random, so 64 bits cannot be guessed; the lookup is a range over the id's order,
    the same on SQLite and PostgreSQL."""
    if not pharmacist.has_perm("health.dispense_prescription"):
        raise HealthError(
            _("Only pharmacies can check by number: type the whole text or scan the QR code."),
            "text",
        )
    digits = typed.upper().replace("-", "")
    low, high = uuid.UUID(digits + "0" * 16), uuid.UUID(digits + "f" * 16)
    found = Prescription.objects.filter(pk__gte=low, pk__lte=high).first()
    if found is None:
        raise HealthError(NOT_VALID, "text")
    return found.signed_text


def check(text: str) -> tuple[dict[str, Any], Prescription | None]:
    """The verified payload and the record (None when signed here but unknown to this node)."""
    try:
        payload = verify_text(text)
    except InvalidPrescription:
        raise HealthError(NOT_VALID, "text") from None
    return payload, Prescription.objects.filter(pk=payload["id"]).first()


@transaction.atomic
def dispense(pharmacist: Any, text: str) -> Prescription:
    """Mark dispensed once: a conditional update, so a second dispense anywhere is refused."""
    if not pharmacist.has_perm("health.dispense_prescription"):
        raise HealthError(_("Only a registered pharmacist can mark prescriptions dispensed."))
    _payload, prescription = check(text)
    if prescription is None:
        raise HealthError(NOT_VALID, "text")
    if prescription.valid_until < timezone.localdate():
        raise HealthError(_("This prescription has expired."), "text")
    now = timezone.now()
    done = Prescription.objects.filter(pk=prescription.pk, dispensed_at__isnull=True).update(
        dispensed_at=now, dispensed_by=pharmacist
    )
    if not done:
        raise HealthError(_("Already dispensed. It cannot be dispensed again."), "text")
    changed(Prescription, [prescription.pk])
    audit.record(pharmacist, "health.prescription_dispense", prescription)
    prescription.refresh_from_db()
    return prescription
