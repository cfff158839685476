"""Booking without an account, the code shown once, and the status page by code."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from pyithu.geo.models import Township
from pyithu.health.models import CaseMessage, CaseStatus, Consultation, Urgency
from pyithu.health.services import booking

pytestmark = pytest.mark.django_db

FORM = {
    "symptoms": "ချောင်းဆိုးတာ နှစ်ပတ်ရှိပြီ",  # "I have been coughing for two weeks"
    "urgency": "0",
    "age_band": "18-39",
    "sex": "female",
    "language": "my",
    "contact_channel": "",
    "contact": "",
}


def _form(township: Township, **extra: str) -> dict[str, str]:
    return FORM | {"township": township.pcode} | extra


def test_mya_books_in_burmese_without_an_account_and_gets_a_code_once(
    client_my: Client, township: Township
) -> None:
    # Given Mya, not signed in, fills the booking form in Burmese
    response = client_my.post("/health/book/", _form(township))
    # Then she sees a 16-character code in four groups, once
    assert response.status_code == 200
    code = response.context["code"]
    assert len(code) == 19 and code.count("-") == 3
    assert code in response.content.decode()
    case = Consultation.objects.get()
    assert (case.status, case.clinic.slug, case.patient) == (CaseStatus.WAITING, "general", None)
    # And the database holds neither the code nor the symptoms in clear
    with connection.cursor() as cursor:
        cursor.execute("SELECT code_digest, symptoms FROM health_consultation")
        digest, symptoms = cursor.fetchone()
    assert code not in digest and booking.clean_code(code) not in digest
    assert symptoms.startswith("sealed:")
    # And the case is open in her session: she reads it without typing the code again
    page = client_my.get("/health/case/")
    assert page.context["case"].pk == case.pk


def test_a_signed_in_citizen_books_and_the_case_is_linked(alice: Any, township: Township) -> None:
    client = Client()
    client.force_login(alice)
    client.post("/health/book/", _form(township))
    assert Consultation.objects.get().patient == alice


def test_booking_from_abroad_records_the_country(client_en: Client) -> None:
    client_en.post("/health/book/", FORM | {"abroad_country": "TH"})
    case = Consultation.objects.get()
    assert (case.township, case.abroad_country, case.place) == (None, "TH", "abroad:TH")


def test_a_refused_booking_keeps_what_was_typed_and_books_nothing(client_en: Client) -> None:
    # Given a form with no township and no country, and a contact channel with no handle
    response = client_en.post("/health/book/", FORM | {"contact_channel": "phone"})
    # Then it is refused beside the fields, with the symptoms still in the form
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["township"] == ["Choose a township, or a country if you are abroad."]
    assert form.errors["contact"] == ["Write your handle or number, or choose no contact."]
    assert FORM["symptoms"] in response.content.decode()
    assert Consultation.objects.count() == 0


def test_signal_is_no_longer_offered_and_is_refused(client_en: Client) -> None:
    # Signal had no transport: nothing chosen there could ever reach the patient
    page = client_en.get("/health/book/").content.decode()
    assert 'value="signal"' not in page and 'value="phone"' in page
    response = client_en.post("/health/book/", FORM | {"contact_channel": "signal"})
    assert response.status_code == 400
    assert "contact_channel" in response.context["form"].errors
    assert Consultation.objects.count() == 0


def test_the_contact_is_sealed(mya_case: tuple[Consultation, str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM health_consultation")
        assert cursor.fetchone()[0].startswith("sealed:")
    case = Consultation.objects.get()
    assert (case.contact_channel, case.contact) == ("telegram", "@mya_health")


def test_the_code_opens_the_case_on_another_device(
    mya_case: tuple[Consultation, str], client_en: Client
) -> None:
    case, code = mya_case
    # When the code is typed with spaces and capitals
    response = client_en.post("/health/case/", {"code": code.upper().replace("-", " ")})
    # Then the case opens (redirect, code never in the URL)
    assert response.status_code == 302 and response.url == "/health/case/"
    assert code not in response.url
    assert client_en.get("/health/case/").context["case"].pk == case.pk


def test_an_unknown_code_gets_the_same_plain_not_found(client_en: Client, mya_case: Any) -> None:
    short = client_en.post("/health/case/", {"code": "abcd"})
    wrong = client_en.post("/health/case/", {"code": "abcd-efgh-jkmn-pqrs"})
    for response in (short, wrong):
        assert response.status_code == 400
        assert response.context["form"].errors["code"] == [
            "No consultation matches that code. Check it and try again."
        ]
    assert "case" not in wrong.context


def test_code_guessing_is_throttled_per_address(client_en: Client, mya_case: Any) -> None:
    _case, code = mya_case
    for _ in range(booking.CODE_LOOKUPS_PER_ADDRESS):
        client_en.post("/health/case/", {"code": "abcd-efgh-jkmn-pqrs"})
    # Then even the right code is refused from that address for now
    response = client_en.post("/health/case/", {"code": code})
    assert response.status_code == 400
    assert "Too many failed attempts" in response.context["form"].errors["code"][0]
    # And another address still gets in
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.post("/health/case/", {"code": code}).status_code == 302


def test_mya_adds_a_follow_up_message_which_is_sealed(
    client_en: Client, mya_case: tuple[Consultation, str]
) -> None:
    _case, code = mya_case
    client_en.post("/health/case/", {"code": code})
    response = client_en.post("/health/case/", {"body": "The fever is worse tonight."})
    assert response.status_code == 302
    message = CaseMessage.objects.get()
    assert (message.author, message.body) == ("patient", "The fever is worse tonight.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM health_casemessage")
        assert cursor.fetchone()[0].startswith("sealed:")
    assert "The fever is worse tonight." in client_en.get("/health/case/").content.decode()


def test_case_messages_are_append_only(mya_case: tuple[Consultation, str]) -> None:
    from pyithu.core.models import AppendOnlyError

    case, _code = mya_case
    message = booking.add_patient_message(case, "first")
    message.body = "changed"
    with pytest.raises(AppendOnlyError):
        message.save()
    with pytest.raises(AppendOnlyError):
        message.delete()
    assert CaseMessage.objects.get().body == "first"


def test_forgetting_the_case_on_this_device(client_en: Client, mya_case: Any) -> None:
    _case, code = mya_case
    client_en.post("/health/case/", {"code": code})
    client_en.post("/health/case/forget/")
    assert "case" not in client_en.get("/health/case/").context


@pytest.mark.parametrize("language", ["my", "en"])
def test_open_case_page_fits_the_budget(language: str, mya_case: tuple[Consultation, str]) -> None:
    case, code = mya_case
    for n in range(5):
        booking.add_patient_message(case, f"Follow-up number {n}: still coughing at night.")
    client = Client()
    client.cookies["lang"] = language
    client.post("/health/case/", {"code": code})
    html = client.get("/health/case/").content
    css = b"".join(
        (settings.BASE_DIR / path).read_bytes()
        for path in ("core/static/core/site.css", "health/static/health/health.css")
    )
    assert len(gzip.compress(html, 9)) + len(gzip.compress(css, 9)) <= 14 * 1024


def test_urgency_from_the_patient_orders_nothing_unless_asked(book: Any) -> None:
    case, _code = book(urgency=Urgency.SOON)
    assert case.urgency == Urgency.SOON
