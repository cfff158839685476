"""Doctors: the queue by clinic, claiming once, replies, outcomes and referral."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pyithu.accounts.models import User
from pyithu.core.models import AuditEntry
from pyithu.health import selectors
from pyithu.health.errors import HealthError
from pyithu.health.models import CaseStatus, Clinic, Consultation, Outcome, Urgency
from pyithu.health.services import consults
from pyithu.outbox.models import Message

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_queue_puts_urgent_first_then_longest_waiting(book: Any, thida: User) -> None:
    first, _ = book("routine, booked first")
    urgent, _ = book("severe, booked later", urgency=Urgency.URGENT)
    second, _ = book("routine, booked second")
    assert list(selectors.queue(thida)) == [urgent, first, second]
    assert list(selectors.queue(thida, language="en")) == []


def test_a_doctor_sees_only_the_clinics_they_hold(book: Any, thida: User, kyaw: User) -> None:
    case, _ = book()
    assert selectors.clinic_slugs_for(thida) == {"general"}
    assert selectors.clinic_slugs_for(kyaw) == {"cardiology"}
    assert list(selectors.queue(kyaw)) == []
    # Kyaw asks for the general-clinic case directly: 404, and nothing changes
    client = _client(kyaw)
    assert client.get(f"/health/staff/case/{case.pk}/").status_code == 404
    assert client.post(f"/health/staff/case/{case.pk}/claim/").status_code == 404
    case.refresh_from_db()
    assert (case.status, case.doctor) == (CaseStatus.WAITING, None)


def test_staff_without_a_doctor_grant_get_403(olivia: User) -> None:
    assert _client(olivia).get("/health/staff/").status_code == 403


def test_a_case_is_claimed_once(book: Any, thida: User, make_doctor: Any) -> None:
    case, _ = book()
    nyein = make_doctor("doctor-nyein")
    consults.claim_case(thida, case.pk)
    with pytest.raises(HealthError, match="Another doctor has already taken this case"):
        consults.claim_case(nyein, case.pk)
    case.refresh_from_db()
    assert (case.status, case.doctor) == (CaseStatus.OPEN, thida)
    assert AuditEntry.objects.filter(action="health.case_claim").count() == 1


def test_only_the_claiming_doctor_replies(book: Any, thida: User, make_doctor: Any) -> None:
    case, _ = book()
    nyein = make_doctor("doctor-nyein")
    consults.claim_case(thida, case.pk)
    response = _client(nyein).post(f"/health/staff/case/{case.pk}/reply/", {"body": "hi"})
    assert response.status_code == 400
    assert case.messages.count() == 0


def test_a_reply_reaches_the_patient_and_queues_a_notice(
    mya_case: tuple[Consultation, str], thida: User, client_en: Client
) -> None:
    case, code = mya_case
    client = _client(thida)
    client.post(f"/health/staff/case/{case.pk}/claim/")
    response = client.post(
        f"/health/staff/case/{case.pk}/reply/", {"body": "Drink water; tell me your temperature."}
    )
    assert response.status_code == 302
    # The patient reads it with the code
    client_en.post("/health/case/", {"code": code})
    assert "tell me your temperature" in client_en.get("/health/case/").content.decode()
    # And one outbox message waits for the Telegram transport, with no medical content
    message = Message.objects.get()
    assert (message.channel, message.address) == ("telegram", "@mya_health")
    # The notice carries no content and speaks the patient's language (Burmese here)
    assert "temperature" not in message.body and "ကုဒ်" in message.body


def test_no_contact_means_no_notice(book: Any, thida: User) -> None:
    case, _ = book()
    consults.claim_case(thida, case.pk)
    consults.reply(thida, case.pk, "hello")
    assert Message.objects.count() == 0


def test_referral_moves_the_case_with_its_history(book: Any, thida: User, kyaw: User) -> None:
    case, _ = book("Chest discomfort when climbing stairs, for a month")
    consults.claim_case(thida, case.pk)
    consults.reply(thida, case.pk, "Any swelling of the legs?")
    cardiology = Clinic.objects.get(slug="cardiology")
    consults.record_outcome(
        thida, case.pk, Outcome.Kind.REFERRAL, referred_to=cardiology, note="r/o angina"
    )
    case.refresh_from_db()
    assert (case.clinic, case.status, case.doctor) == (cardiology, CaseStatus.WAITING, None)
    # The cardiologist now sees it, with the thread; the general doctor no longer does
    assert list(selectors.queue(kyaw)) == [case]
    assert next(m.body for m in case.messages.all()) == "Any swelling of the legs?"
    with pytest.raises(consults.CaseNotFound):
        consults.case_for(thida, case.pk)
    outcome = Outcome.objects.get()
    assert (outcome.from_clinic.slug, outcome.note) == ("general", "r/o angina")


def test_advice_closes_and_follow_up_needs_a_date(book: Any, thida: User) -> None:
    case, _ = book()
    consults.claim_case(thida, case.pk)
    with pytest.raises(HealthError, match="Give the follow-up date"):
        consults.record_outcome(thida, case.pk, Outcome.Kind.FOLLOW_UP)
    consults.record_outcome(thida, case.pk, Outcome.Kind.FOLLOW_UP, follow_up_on=date(2030, 1, 5))
    consults.record_outcome(thida, case.pk, Outcome.Kind.ADVICE, message="Rest and fluids.")
    case.refresh_from_db()
    assert (case.status, case.follow_up_on) == (CaseStatus.CLOSED, date(2030, 1, 5))


def test_slots_are_published_in_the_doctors_zone_and_shown_in_myanmar_time(
    thida: User, client_en: Client
) -> None:
    general = Clinic.objects.get(slug="general")
    start = (timezone.now() + timedelta(days=2)).replace(tzinfo=None)
    start = datetime(start.year, start.month, start.day, 9, 0)
    slot = consults.publish_slot(thida, general, start, 60, "Europe/London")
    assert slot.starts_at.tzinfo is not None and slot.doctor_timezone == "Europe/London"
    page = client_en.get("/health/clinics/").content.decode()
    yangon = slot.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Yangon"))
    assert yangon.strftime("%H:%M") in page
    with pytest.raises(HealthError, match="You do not work in that clinic"):
        consults.publish_slot(thida, Clinic.objects.get(slug="eye"), start, 60, "Asia/Yangon")
    with pytest.raises(HealthError, match="Unknown time zone"):
        consults.publish_slot(thida, general, start, 60, "Mars/Base")
