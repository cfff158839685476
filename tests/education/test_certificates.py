"""Verifiable certificates: issued from a released result, printed with a QR, verified online
and offline, revoked by an exam officer."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from pyithu.accounts.models import User
from pyithu.core.models import AuditEntry
from pyithu.education.certificates import services as service
from pyithu.education.certificates import signing
from pyithu.education.errors import EducationError
from pyithu.education.exams.services import exams
from pyithu.education.models import Certificate, Sitting

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(sitting: Sitting, codes: list[str], nilar: User) -> str:
    """Hnin's exam, taken, closed and released; returns her exam code."""
    attempt = exams.start_attempt(codes[0], "tok")
    item = attempt.candidate.sitting.paper.items.order_by("position").first()
    exams.save_answer(attempt, "tok", item, choice=0, text="", next_position=2)
    exams.hand_in(attempt, "tok")
    Sitting.objects.filter(pk=sitting.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    sitting.refresh_from_db()
    exams.release_results(sitting, nilar)
    return codes[0]


def test_a_released_result_becomes_a_signed_certificate(released: str) -> None:
    cert = service.issue_from_result(released)
    payload = signing.verify_text(cert.signed_text)
    assert payload["title"] == "Mid-term" and payload["school"] == "Spring Online School"
    assert payload["result"] == "1/6 not passed" and payload["name"] == ""
    assert payload["holder"] == cert.holder_pseudonym and payload["id"] == str(cert.pk)
    # Asking again gives the same certificate, not a second one
    assert service.issue_from_result(released) == cert and Certificate.objects.count() == 1


def test_the_name_appears_only_if_the_holder_chose_it_and_is_sealed(released: str) -> None:
    cert = service.issue_from_result(released, holder_name="Hnin Wai")
    assert signing.verify_text(cert.signed_text)["name"] == "Hnin Wai"
    with connection.cursor() as cursor:
        cursor.execute("SELECT holder_name FROM education_certificate")
        stored = cursor.fetchone()[0]
    assert stored.startswith("sealed:") and "Hnin" not in stored


def test_no_certificate_before_results_are_released(codes: list[str]) -> None:
    with pytest.raises(EducationError) as refused:
        service.issue_from_result(codes[0])
    assert refused.value.message == "Results for this exam have not been released yet."
    assert Certificate.objects.count() == 0


def test_the_holder_claims_and_prints_it_with_a_qr(client_en: Client, released: str) -> None:
    response = client_en.post("/education/certificates/", {"code": released, "name": ""})
    cert = Certificate.objects.get()
    assert response.status_code == 302 and response.url == f"/education/certificates/{cert.pk}/"
    page = client_en.get(response.url)
    assert page.status_code == 200
    assert b"<svg" in page.content and cert.signed_text.encode() in page.content


def test_a_forged_exam_code_gets_no_certificate(client_en: Client, released: str) -> None:
    response = client_en.post("/education/certificates/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == [
        "This exam code is not valid. Check it and try again."
    ]
    assert Certificate.objects.count() == 0


def test_the_verify_page_says_valid_revoked_or_not_valid(
    client_en: Client, released: str, nilar: User
) -> None:
    cert = service.issue_from_result(released)
    valid = client_en.post("/education/certificates/verify/", {"text": cert.signed_text})
    assert valid.context["result"].state == "valid" and b"Valid" in valid.content
    prefix, body, sig = cert.signed_text.split(".")
    tampered = f"{prefix}.{body[:-2]}AA.{sig}"
    bad = client_en.post("/education/certificates/verify/", {"text": tampered})
    assert bad.context["result"].state == "invalid" and b"Not valid" in bad.content
    garbage = client_en.post("/education/certificates/verify/", {"text": "PYCERT1..."})
    assert garbage.status_code == 200 and garbage.context["result"].state == "invalid"
    # A NUL character is refused at the gate, before any page (the site's 400 page)
    unreadable = client_en.post("/education/certificates/verify/", {"text": "\x00PYCERT1..."})
    assert unreadable.status_code == 400
    service.revoke(cert, nilar)
    revoked = client_en.post("/education/certificates/verify/", {"text": cert.signed_text})
    assert revoked.context["result"].state == "revoked"


def test_an_exam_officer_revokes_with_audit(client_en: Client, released: str, nilar: User) -> None:
    cert = service.issue_from_result(released)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(nilar)
    response = client.post(f"/education/staff/certificates/{cert.pk}/revoke/")
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.revoked_at is not None and cert.revoked_by == nilar
    assert AuditEntry.objects.filter(action="education.certificate_revoke").count() == 1
    with pytest.raises(EducationError) as refused:
        service.revoke(cert, nilar)
    assert refused.value.message == "This certificate has already been revoked."


def test_a_teacher_may_not_revoke(released: str, may: User) -> None:
    cert = service.issue_from_result(released)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(may)
    assert client.post(f"/education/staff/certificates/{cert.pk}/revoke/").status_code == 403
    with pytest.raises(EducationError) as refused:
        service.revoke(cert, may)
    assert refused.value.message == "Only an exam officer may revoke a certificate."
    cert.refresh_from_db()
    assert (
        cert.revoked_at is None
        and AuditEntry.objects.filter(action="education.certificate_revoke").count() == 0
    )


def test_the_offline_cli_verifies_with_the_pinned_key(released: str, tmp_path: Path) -> None:
    cert = service.issue_from_result(released)
    key = signing.public_key_text()
    out = StringIO()
    call_command("certificate", "verify", cert.signed_text, "--public-key", key, stdout=out)
    assert f"VALID certificate {cert.pk}" in out.getvalue()
    saved = tmp_path / "cert.txt"
    saved.write_text(cert.signed_text + "\n")
    out = StringIO()
    call_command("certificate", "verify", str(saved), "--public-key", key, stdout=out)
    assert "VALID" in out.getvalue()
    other_key = "A" * 43 + "="
    with pytest.raises(CommandError, match="NOT VALID"):
        call_command("certificate", "verify", cert.signed_text, "--public-key", other_key)


def test_signing_key_has_its_own_purpose() -> None:
    from pyithu.health import signing as rx_signing

    assert len(signing.PURPOSE) <= 16
    assert signing.public_key_text() != rx_signing.public_key_text()


def test_verify_text_refuses_any_garbage() -> None:
    for text in ("", "PYCERT1", "PYCERT1.a.b", "PYRX1.x.y", "x" * 10000, "PYCERT1.!!.??"):
        with pytest.raises(signing.InvalidCertificate):
            signing.verify_text(text)


def test_demo_loads_a_recommender_an_admission_and_a_certificate(
    make_staff: Any, settings: Any, tmp_path: Path
) -> None:
    from pyithu.education import demo
    from pyithu.education.models import Application, Recommender

    lines = demo.load()
    assert any("voucher" in line for line in lines)
    assert Recommender.objects.count() == 1
    assert Application.objects.get().status == "admitted"
    assert signing.verify_text(Certificate.objects.get().signed_text)["holder"] == "C-DEMO0001"
