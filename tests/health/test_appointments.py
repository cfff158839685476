"""Rosters in the doctor's zone, slots in UTC shown in Myanmar time, taken once, changed or
cancelled by code, no-shows; and the same by SMS."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from pyithu.health.errors import HealthError
from pyithu.health.models import Appointment, AppointmentStatus, CaseStatus, Clinic, Consultation
from pyithu.health.services import appointments
from pyithu.outbox.models import Message
from pyithu.sms import services as sms

# A Monday, midnight UTC: Tuesday's slots are a day ahead.
MONDAY = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
TUESDAY = 1


@pytest.fixture
def general(db: Any) -> Clinic:
    return Clinic.objects.get(slug=Clinic.GENERAL)


@pytest.fixture
def aye_roster(make_doctor: Any, general: Clinic) -> Any:
    """Doctor Aye volunteers from Bangkok: Tuesdays 09:00-10:00 her time, 30 minutes each."""
    aye = make_doctor("doctor-aye")
    return appointments.publish_roster(aye, general, TUESDAY, time(9), time(10), 30, "Asia/Bangkok")


def test_a_roster_in_bangkok_time_gives_slots_in_utc_shown_in_myanmar_time(aye_roster: Any) -> None:
    # When the free slots are listed on Monday
    slots = appointments.free_slots(now=MONDAY)
    # Then Tuesday 09:00 and 09:30 Bangkok are 02:00 and 02:30 UTC, 08:30 and 09:00 in Myanmar
    assert [s.starts_at for s in slots] == [
        datetime(2026, 12, 8, 2, 0, tzinfo=UTC),
        datetime(2026, 12, 8, 2, 30, tzinfo=UTC),
        datetime(2026, 12, 15, 2, 0, tzinfo=UTC),
        datetime(2026, 12, 15, 2, 30, tzinfo=UTC),
    ]
    assert [f"{s.myanmar:%H:%M}" for s in slots[:2]] == ["08:30", "09:00"]
    assert aye_roster.timezone == "Asia/Bangkok"


def test_a_taken_slot_is_offered_no_more_and_a_second_taker_is_refused(
    aye_roster: Any, book: Any
) -> None:
    # Given Mya and Hnin, each with a booking code
    mya, _code = book()
    hnin, _code = book()
    first = appointments.free_slots(now=MONDAY)[0]
    # When Mya takes the first slot
    taken = appointments.take_slot(mya, first.token, now=MONDAY)
    assert (taken.starts_at, taken.status) == (first.starts_at, AppointmentStatus.BOOKED)
    assert first.token not in [s.token for s in appointments.free_slots(now=MONDAY)]
    # Then Hnin, who saw it listed a moment ago, is told plainly and nothing of hers changes
    with pytest.raises(HealthError) as refused:
        appointments.take_slot(hnin, first.token, now=MONDAY)
    assert str(refused.value.message) == (
        "This time was just taken by someone else. Choose another time."
    )
    assert refused.value.field == "slot"
    assert list(Appointment.objects.values_list("consultation", flat=True)) == [mya.pk]


def test_a_time_that_is_not_offered_is_refused(aye_roster: Any, book: Any) -> None:
    mya, _code = book()
    slot = appointments.free_slots(now=MONDAY)[0]
    for token in (
        f"{aye_roster.pk.hex}-{int(slot.starts_at.timestamp()) + 60}",  # between two slots
        "not-a-slot",
        f"{aye_roster.pk.hex}-99999999999999999",
    ):
        with pytest.raises(HealthError) as refused:
            appointments.take_slot(mya, token, now=MONDAY)
        assert str(refused.value.message) == (
            "That time is not offered. Choose one of the times listed."
        )
    assert Appointment.objects.count() == 0


def test_reschedule_moves_in_one_step_and_keeps_the_old_time_if_the_new_is_gone(
    aye_roster: Any, book: Any
) -> None:
    mya, _code = book()
    hnin, _code = book()
    first, second, third = appointments.free_slots(now=MONDAY)[:3]
    mine = appointments.take_slot(mya, first.token, now=MONDAY)
    # When Mya moves to the second slot, the first is free again
    moved = appointments.reschedule(mya, mine.pk, second.token, now=MONDAY)
    assert moved.starts_at == second.starts_at
    assert first.token in [s.token for s in appointments.free_slots(now=MONDAY)]
    # When Hnin takes the third and Mya tries to move there: refused, Mya keeps the second
    appointments.take_slot(hnin, third.token, now=MONDAY)
    with pytest.raises(appointments.SlotTaken):
        appointments.reschedule(mya, moved.pk, third.token, now=MONDAY)
    assert appointments.booked(mya).starts_at == second.starts_at
    assert Appointment.objects.filter(consultation=mya).count() == 2  # first cancelled, second


def test_a_code_for_another_case_cannot_move_or_cancel_its_time(aye_roster: Any, book: Any) -> None:
    # Given Mya's time, and Hnin with her own code
    mya, _code = book()
    hnin, _code = book()
    first, second = appointments.free_slots(now=MONDAY)[:2]
    mine = appointments.take_slot(mya, first.token, now=MONDAY)
    # When Hnin's case is used on Mya's appointment: refused, Mya's time unchanged
    for act in (
        lambda: appointments.reschedule(hnin, mine.pk, second.token, now=MONDAY),
        lambda: appointments.cancel(hnin, mine.pk),
    ):
        with pytest.raises(HealthError) as refused:
            act()
        assert str(refused.value.message) == (
            "No booked time matches your code. Open your consultation again."
        )
    mine.refresh_from_db()
    assert (mine.status, mine.starts_at) == (AppointmentStatus.BOOKED, first.starts_at)
    assert not hnin.appointments.exists()


def test_one_time_per_consultation_and_cancel_frees_the_slot(aye_roster: Any, book: Any) -> None:
    mya, _code = book()
    first, second = appointments.free_slots(now=MONDAY)[:2]
    mine = appointments.take_slot(mya, first.token, now=MONDAY)
    with pytest.raises(HealthError) as refused:
        appointments.take_slot(mya, second.token, now=MONDAY)
    assert str(refused.value.message) == "You already have a time. Change it or cancel it first."
    appointments.cancel(mya, mine.pk)
    assert appointments.booked(mya) is None
    assert appointments.free_slots(now=MONDAY)[0].token == first.token


def test_a_closed_consultation_takes_no_time(aye_roster: Any, book: Any) -> None:
    mya, _code = book()
    Consultation.objects.filter(pk=mya.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(HealthError):
        appointments.take_slot(mya, appointments.free_slots(now=MONDAY)[0].token, now=MONDAY)
    assert Appointment.objects.count() == 0


def test_a_no_show_is_recorded_by_the_doctor_once_the_time_has_begun(
    aye_roster: Any, book: Any, thida: Any
) -> None:
    mya, _code = book()
    slot = appointments.free_slots(now=MONDAY)[0]
    mine = appointments.take_slot(mya, slot.token, now=MONDAY)
    # Before the time: refused; another doctor: not found; both change nothing
    with pytest.raises(HealthError, match="only once the time has begun"):
        appointments.record_no_show(aye_roster.doctor, mine.pk, now=MONDAY)
    with pytest.raises(HealthError, match="Appointment not found"):
        appointments.record_no_show(thida, mine.pk, now=slot.starts_at + timedelta(minutes=5))
    mine.refresh_from_db()
    assert mine.status == AppointmentStatus.BOOKED
    # Ten minutes in, the doctor records it: the slot is past, so closed, never offered again
    later = slot.starts_at + timedelta(minutes=10)
    appointments.record_no_show(aye_roster.doctor, mine.pk, now=later)
    mine.refresh_from_db()
    assert mine.status == AppointmentStatus.NO_SHOW
    assert slot.token not in [s.token for s in appointments.free_slots(now=later)]
    assert appointments.booked(mya) is None  # Mya may take another time with her code


def test_roster_refusals(thida: Any, kyaw: Any, general: Clinic) -> None:
    cases = [
        (kyaw, general, 1, time(9), time(10), 20, "Asia/Yangon", "You do not work in that clinic."),
        (thida, general, 1, time(9), time(10), 20, "Mars/Olympus", "Unknown time zone."),
        (thida, general, 1, time(10), time(9), 20, "Asia/Yangon", "The end must be at least"),
        (thida, general, 1, time(9), time(10), 7, "Asia/Yangon", "Choose the minutes"),
        (thida, general, 9, time(9), time(10), 20, "Asia/Yangon", "Choose a day of the week."),
    ]
    for doctor, clinic, day, starts, ends, minutes, zone, error in cases:
        with pytest.raises(HealthError) as refused:
            appointments.publish_roster(doctor, clinic, day, starts, ends, minutes, zone)
        assert str(refused.value.message).startswith(error)
    assert not thida.health_rosters.exists() and not kyaw.health_rosters.exists()


def test_a_doctor_who_leaves_the_clinic_offers_no_more_slots(aye_roster: Any) -> None:
    aye_roster.doctor.role_grants.update(revoked_at=MONDAY)
    assert appointments.free_slots(now=MONDAY) == []


# --- the web page, by code ---------------------------------------------------------------------


@pytest.fixture
def every_day(make_doctor: Any, general: Clinic) -> Any:
    """Doctor Su: every day 08:00-20:00 Myanmar time, so some slot is always ahead."""
    su = make_doctor("doctor-su")
    for day in range(7):
        appointments.publish_roster(su, general, day, time(8), time(20), 30, "Asia/Yangon")
    return su


def _opened(client: Client, code: str) -> None:
    client.post("/health/case/", {"code": code})


def test_a_patient_takes_a_time_by_code_and_a_taken_time_keeps_the_form(
    every_day: Any, book: Any, client_en: Client
) -> None:
    mya, code = book()
    hnin, _code = book()
    _opened(client_en, code)
    page = client_en.get("/health/case/appointment/")
    first, second = appointments.free_slots(mya.clinic)[:2]
    assert first.token in page.content.decode()
    # Meanwhile Hnin takes the first time
    appointments.take_slot(hnin, first.token)
    # Mya's choice of it is refused beside the list, with nothing booked for her
    refused = client_en.post("/health/case/appointment/", {"slot": first.token})
    assert refused.status_code == 400
    assert refused.context["form"].errors["slot"] == [
        "This time was just taken by someone else. Choose another time."
    ]
    assert not mya.appointments.exists()
    # She takes the second: booked, shown back to her
    done = client_en.post("/health/case/appointment/", {"slot": second.token}, follow=True)
    assert "Your time is booked." in done.content.decode()
    assert appointments.booked(mya).starts_at == second.starts_at


def test_the_appointment_page_needs_an_opened_case(client_en: Client, db: Any) -> None:
    response = client_en.get("/health/case/appointment/")
    assert response.status_code == 200
    assert 'action="/health/case/"' in response.content.decode()
    assert 'name="slot"' not in response.content.decode()


# --- by SMS ------------------------------------------------------------------------------------


def _reply(number: str, text: str) -> str:
    inbound = sms.receive(number, text)
    return Message.objects.get(pk=inbound.reply_id).body


def test_slots_take_and_stop_by_text(every_day: Any, book: Any) -> None:
    mya, code = book(contact_channel="phone", contact="+959123456789")
    # SLOTS lists three times as day-hour-minute, Myanmar time
    listed = _reply("+959123456789", f"SLOTS {code}")
    free = appointments.free_slots(mya.clinic, limit=3)
    names = [f"{s.myanmar:%d%H%M}" for s in free]
    assert " ".join(names) in listed
    # TAKE with the code and a time books it, and says when
    done = _reply("+959123456789", f"TAKE {code} {names[1]}")
    assert f"{free[1].myanmar:%d-%m %H:%M}" in done
    assert appointments.booked(mya).starts_at == free[1].starts_at
    # TAKE again with another time moves it
    _reply("+959123456789", f"take {code} {names[0]}")
    assert appointments.booked(mya).starts_at == free[0].starts_at
    # A time nobody offers: told, nothing changed
    gone = _reply("+959123456789", f"TAKE {code} 000000")
    assert "Nothing was changed" in gone
    assert appointments.booked(mya).starts_at == free[0].starts_at
    # STOP erases the contact
    _reply("+959123456789", f"STOP {code}")
    mya.refresh_from_db()
    assert (mya.contact_channel, mya.contact) == ("", "")


def test_a_wrong_code_by_text_is_not_found(every_day: Any, db: Any) -> None:
    text = _reply("+959123456780", "SLOTS abcd-efgh-jkmn-pqrs")
    assert text == "Nothing matches this code. Check it letter by letter and send it again."


# --- real threads on PostgreSQL ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency runs on PostgreSQL")
def test_eight_people_taking_one_slot_at_once_get_it_once(reference_data: Any) -> None:
    from pyithu.accounts import services as accounts
    from pyithu.accounts.models import Role
    from pyithu.geo.models import Township
    from pyithu.health.services import booking

    # Given a doctor's roster and eight patients who all see the same first slot
    doctor = accounts.create_staff_account("doctor-min", "tea leaf salad 1988")
    accounts.grant_role(doctor, Role.DOCTOR, "health")
    general = Clinic.objects.get(slug=Clinic.GENERAL)
    appointments.publish_roster(doctor, general, TUESDAY, time(9), time(10), 30, "Asia/Yangon")
    town = Township.objects.active().order_by("pcode").first()
    patients = [
        booking.book_consultation(
            booking.Booking(
                symptoms="Cough", age_band="18-39", sex="female", language="my", township=town
            )
        )[0]
        for _ in range(8)
    ]
    token = appointments.free_slots(now=MONDAY)[0].token
    barrier = threading.Barrier(len(patients))
    results: list[str] = []
    lock = threading.Lock()

    def take(case: Consultation) -> None:
        try:
            barrier.wait(timeout=30)
            appointments.take_slot(case, token, now=MONDAY)
            outcome = "booked"
        except appointments.SlotTaken:
            outcome = "taken"
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    # When they all press "take" at once, each on its own connection
    threads = [threading.Thread(target=take, args=(case,)) for case in patients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Then exactly one has it; seven were told it was taken; one row in the database
    assert sorted(results) == ["booked"] + ["taken"] * 7
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1


def test_the_booked_time_shows_on_the_patients_and_the_doctors_case_page(
    every_day: Any, book: Any, client_en: Client
) -> None:
    from pyithu.health.templatetags.health import when

    mya, code = book()
    slot = appointments.free_slots(mya.clinic)[0]
    appointments.take_slot(mya, slot.token)
    _opened(client_en, code)
    assert when(slot.starts_at) in client_en.get("/health/case/").content.decode()
    doctor = Client(HTTP_ACCEPT_LANGUAGE="en")
    doctor.force_login(every_day)
    page = doctor.get(f"/health/staff/case/{mya.pk}/").content.decode()
    assert when(slot.starts_at) in page
