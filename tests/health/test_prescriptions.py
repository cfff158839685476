"""Signed prescriptions: printable with a QR code, verified online and offline, dispensed once."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from pyithu.accounts.models import Role, User
from pyithu.health.models import Consultation, Prescription
from pyithu.health.services import consults, prescriptions
from pyithu.health.signing import public_key_text

pytestmark = pytest.mark.django_db

ITEMS = [{"medicine": "Amoxicillin 500 mg", "dose": "1 capsule 3 times a day", "quantity": "21"}]


@pytest.fixture
def rx(mya_case: tuple[Consultation, str], thida: User) -> Prescription:
    case, _code = mya_case
    consults.claim_case(thida, case.pk)
    return prescriptions.issue_prescription(thida, case.pk, ITEMS, valid_days=10)


@pytest.fixture
def pharmacist(make_staff: Any) -> User:
    # The pharmacist role, not a hand-given permission, is what lets a pharmacy dispense.
    return make_staff("pharmacist-hla", Role.PHARMACIST, "health")


def _payload(text: str) -> dict[str, Any]:
    body = text.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_the_signed_payload_names_no_patient(rx: Prescription, thida: User) -> None:
    payload = _payload(rx.signed_text)
    assert payload["items"] == ITEMS
    assert payload["clinic"] == "general" and payload["prescriber"].startswith("dr-")
    text = json.dumps(payload)
    assert "thida" not in text and "mya" not in text and str(rx.consultation_id) not in text


def test_the_patient_prints_it_with_a_qr_code(
    rx: Prescription, mya_case: tuple[Consultation, str], client_en: Client
) -> None:
    client_en.post("/health/case/", {"code": mya_case[1]})
    page = client_en.get("/health/case/prescriptions/").content.decode()
    assert "<svg" in page and "Amoxicillin 500 mg" in page and rx.signed_text in page


def test_the_public_page_verifies_and_a_forgery_is_not_valid(
    rx: Prescription, client_en: Client
) -> None:
    good = client_en.post("/health/verify/", {"text": rx.signed_text})
    assert good.status_code == 200 and "Valid: signed" in good.content.decode()
    # An altered quantity with the old signature
    prefix, _body, signature = rx.signed_text.split(".")
    payload = _payload(rx.signed_text)
    payload["items"][0]["quantity"] = "210"
    forged_body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    for text in (f"{prefix}.{forged_body}.{signature}", "PYRX1.garbage", "hello"):
        bad = client_en.post("/health/verify/", {"text": text})
        assert bad.status_code == 400
        assert bad.context["form"].errors["text"] == [str(prescriptions.NOT_VALID)]


def test_a_pharmacist_dispenses_once(rx: Prescription, pharmacist: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(pharmacist)
    first = client.post("/health/verify/", {"text": rx.signed_text, "dispense": "1"})
    assert first.status_code == 200 and "Already dispensed" in first.content.decode()
    rx.refresh_from_db()
    assert rx.dispensed_by == pharmacist
    dispensed_at = rx.dispensed_at
    second = client.post("/health/verify/", {"text": rx.signed_text, "dispense": "1"})
    assert second.status_code == 400
    assert second.context["form"].errors["text"] == [
        "Already dispensed. It cannot be dispensed again."
    ]
    rx.refresh_from_db()
    assert rx.dispensed_at == dispensed_at


def test_a_pharmacist_may_type_the_prescription_number_instead(
    rx: Prescription, mya_case: tuple[Consultation, str], pharmacist: User, client_en: Client
) -> None:
    # The patient's page shows the number, e.g. 01A2-4270-195F-7505
    client_en.post("/health/case/", {"code": mya_case[1]})
    number = prescriptions.number(rx)
    assert number in client_en.get("/health/case/prescriptions/").content.decode()
    # A pharmacist types it (lower case, no dashes are fine) and sees the verified medicines
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(pharmacist)
    found = client.post("/health/verify/", {"text": number.lower().replace("-", "")})
    assert found.status_code == 200 and "Amoxicillin 500 mg" in found.content.decode()
    # The public must show the whole text; an unknown number is not valid; nothing dispensed
    public = client_en.post("/health/verify/", {"text": number})
    assert public.status_code == 400 and "Only pharmacies" in public.content.decode()
    unknown = client.post("/health/verify/", {"text": "0000-0000-0000-0000"})
    assert unknown.context["form"].errors["text"] == [str(prescriptions.NOT_VALID)]
    rx.refresh_from_db()
    assert rx.dispensed_at is None


def test_without_the_permission_nobody_dispenses(rx: Prescription, thida: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(thida)
    response = client.post("/health/verify/", {"text": rx.signed_text, "dispense": "1"})
    assert response.status_code == 400
    rx.refresh_from_db()
    assert rx.dispensed_at is None


def test_the_offline_cli_checks_against_the_pinned_key(
    rx: Prescription, tmp_path: Any, capsys: Any
) -> None:
    path = tmp_path / "rx.txt"
    path.write_text(rx.signed_text)
    call_command("prescription", "verify", str(path), "--public-key", public_key_text())
    out = capsys.readouterr().out
    assert (
        "VALID prescription" in out and "Amoxicillin 500 mg | 1 capsule 3 times a day | 21" in out
    )
    other_key = base64.b64encode(b"\x01" * 32).decode()
    with pytest.raises(CommandError, match="NOT VALID"):
        call_command("prescription", "verify", rx.signed_text, "--public-key", other_key)
    with pytest.raises(CommandError, match="NOT VALID"):
        call_command("prescription", "verify", rx.signed_text[:-4] + "AAAA")


def test_a_prescription_needs_complete_lines(mya_case: Any, thida: User) -> None:
    case, _ = mya_case
    consults.claim_case(thida, case.pk)
    with pytest.raises(prescriptions.HealthError, match="dose and a quantity"):
        prescriptions.issue_prescription(thida, case.pk, [{"medicine": "Paracetamol"}])
    assert Prescription.objects.count() == 0
