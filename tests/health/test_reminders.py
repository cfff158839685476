"""Reminders on the channel the patient chose, saying nothing of the consultation, within two
SMS parts in Burmese; stopped by code; the contact erased when nothing needs it."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.utils import timezone

from pyithu.health.models import CaseStatus, Clinic, Consultation
from pyithu.health.services import appointments, reminders
from pyithu.outbox.models import Message
from pyithu.sms.segments import measure

MONDAY = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
SYMPTOMS = "Rash on both hands and a cough"


@pytest.fixture
def roster(make_doctor: Any) -> Any:
    """Tuesdays 09:00-10:00 Myanmar time (02:30-03:30 UTC), 30 minutes."""
    aye = make_doctor("doctor-aye")
    general = Clinic.objects.get(slug=Clinic.GENERAL)
    return appointments.publish_roster(aye, general, 1, time(9), time(10), 30, "Asia/Yangon")


@pytest.fixture
def mya(book: Any) -> Consultation:
    return book(SYMPTOMS, contact_channel="phone", contact="+959123456789")[0]


def test_an_appointment_reminder_goes_once_by_sms_in_burmese_within_two_parts(
    roster: Any, mya: Consultation
) -> None:
    slot = appointments.free_slots(now=MONDAY)[0]
    appointments.take_slot(mya, slot.token, now=MONDAY)
    # Two days ahead: nothing yet
    assert reminders.run(MONDAY - timedelta(days=1)).appointments == 0
    # The day before: one reminder, on the patient's channel and number
    assert reminders.run(MONDAY + timedelta(hours=6)).appointments == 1
    assert reminders.run(MONDAY + timedelta(hours=7)).appointments == 0
    message = Message.objects.get()
    assert (message.channel, message.address) == ("phone", "+959123456789")
    # In Burmese, with the Myanmar time in Burmese digits, nothing of the consultation
    assert "၀၈-၁၂ ၀၉:၀၀" in message.body and "STOP" in message.body
    assert "ကုဒ်" in message.body
    for secret in ("Rash", "cough", "general", "ယေဘုယျ"):
        assert secret not in message.body
    assert measure(message.body).segments <= 2


@pytest.mark.parametrize("language", ["my", "en"])
def test_every_reminder_fits_two_sms_parts(language: str) -> None:
    latest = datetime(2026, 12, 31, 17, 40, tzinfo=UTC)
    for text in (
        reminders.appointment_text(latest, language),
        reminders.follow_up_text(latest.date(), language),
        reminders.cancelled_text(latest, language),
    ):
        assert measure(text).segments <= 2, (len(text), text)
        assert "%(" not in text


def test_a_follow_up_reminder_the_day_before_and_none_without_a_channel(
    book: Any, mya: Consultation
) -> None:
    quiet, _code = book()  # chose no contact
    tomorrow = timezone.localdate(timezone.now(), timezone=reminders.MYANMAR) + timedelta(days=1)
    Consultation.objects.filter(pk__in=[mya.pk, quiet.pk]).update(
        follow_up_on=tomorrow, status=CaseStatus.OPEN
    )
    assert reminders.run().follow_ups == 1
    assert reminders.run().follow_ups == 0  # the same case and date: queued once
    message = Message.objects.get()
    assert message.address == "+959123456789"
    assert f"{tomorrow:%d-%m-%Y}".translate(str.maketrans("0123456789", "၀၁၂၃၄၅၆၇၈၉")) in (
        message.body
    )


def test_stop_by_code_on_the_web_erases_the_contact_and_no_reminder_follows(
    book: Any, client_en: Client
) -> None:
    case, code = book(contact_channel="telegram", contact="@mya_health")
    page = client_en.get("/health/stop/")
    assert page.status_code == 200
    done = client_en.post("/health/stop/", {"code": code})
    assert "No more messages will be sent" in done.content.decode()
    case.refresh_from_db()
    assert (case.contact_channel, case.contact) == ("", "")
    Consultation.objects.filter(pk=case.pk).update(
        follow_up_on=timezone.localdate() + timedelta(days=1)
    )
    reminders.run()
    assert Message.objects.count() == 0


def test_a_wrong_code_stops_nothing(mya: Consultation, client_en: Client) -> None:
    refused = client_en.post("/health/stop/", {"code": "abcd-efgh-jkmn-pqrs"})
    assert refused.status_code == 400
    assert refused.context["form"].errors["code"] == [
        "No consultation matches that code. Check it and try again."
    ]
    mya.refresh_from_db()
    assert (mya.contact_channel, mya.contact) == ("phone", "+959123456789")


def test_contacts_of_closed_cases_are_erased_unless_a_time_is_still_booked(
    roster: Any, book: Any, mya: Consultation
) -> None:
    later, _code = book(contact_channel="phone", contact="+959987654321")
    appointments.take_slot(later, appointments.free_slots(now=MONDAY)[0].token, now=MONDAY)
    Consultation.objects.filter(pk__in=[mya.pk, later.pk]).update(status=CaseStatus.CLOSED)
    assert reminders.forget_contacts(MONDAY) == 1
    mya.refresh_from_db()
    later.refresh_from_db()
    assert (mya.contact_channel, mya.contact) == ("", "")
    assert later.contact == "+959987654321"


def test_stored_signal_choices_become_no_contact(mya: Consultation) -> None:
    # Given a booking stored when Signal was still offered
    Consultation.objects.filter(pk=mya.pk).update(contact_channel="signal", contact="@mya.42")
    migration = importlib.import_module(
        "pyithu.health.migrations.0007_care_rosters_appointments_case_events"
    )
    # When the data migration runs
    migration.signal_to_none(django_apps, None)
    # Then the choice is "no contact" and the handle is gone
    mya.refresh_from_db()
    assert (mya.contact_channel, mya.contact) == ("", "")


def test_the_periodic_command_queues_reminders_once(roster: Any, mya: Consultation) -> None:
    from io import StringIO

    from django.core.management import call_command

    tomorrow = timezone.localdate(timezone.now(), timezone=reminders.MYANMAR) + timedelta(days=1)
    Consultation.objects.filter(pk=mya.pk).update(follow_up_on=tomorrow)
    out = StringIO()
    call_command("health", "tick", stdout=out)
    call_command("health", "tick", stdout=out)
    assert out.getvalue().splitlines() == [
        "released 0, reminders 0 appointment(s) 1 follow-up(s), contacts erased 0",
        "released 0, reminders 0 appointment(s) 0 follow-up(s), contacts erased 0",
    ]
    assert Message.objects.count() == 1
