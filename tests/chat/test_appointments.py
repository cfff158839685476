"""A time with a doctor and "no more messages" from the chat, by booking code."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from talk import Person

from pyithu.accounts.models import User
from pyithu.health.models import Clinic, Consultation
from pyithu.health.services import appointments, booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(mya: Person) -> Person:
    mya.say("/start")
    mya.press("English")
    return mya


@pytest.fixture
def roster(thida: User) -> Any:
    general = Clinic.objects.get(slug=Clinic.GENERAL)
    for day in range(7):
        appointments.publish_roster(thida, general, day, time(8), time(20), 30, "Asia/Yangon")


@pytest.fixture
def booked(db: Any) -> tuple[Consultation, str]:
    from pyithu.geo.models import Township

    details = booking.Booking(
        symptoms="Cough",
        age_band="18-39",
        sex="female",
        language="en",
        township=Township.objects.active().order_by("pcode").first(),
        contact_channel="telegram",
        contact="5550101",
    )
    return booking.book_consultation(details)


def test_a_time_is_taken_by_number_and_changed_the_same_way(
    english: Person, roster: Any, booked: tuple[Consultation, str]
) -> None:
    case, code = booked
    offered = english.say(f"/time {code}")
    free = appointments.free_slots(case.clinic, limit=6)
    assert "Free times (Myanmar time)" in offered.text
    assert len(offered.options) == 7  # six times and "Cancel"
    done = english.say("2")
    assert done.text.startswith("Your time is booked.")
    assert appointments.booked(case).starts_at == free[1].starts_at
    # Again: the current time is shown, and a new choice moves it
    again = english.say(f"/time {code}")
    assert again.text.startswith("Your time (Myanmar time)")
    english.say("1")
    assert appointments.booked(case).starts_at == free[0].starts_at


def test_a_time_taken_meanwhile_is_refused_and_nothing_changes(
    english: Person, roster: Any, booked: tuple[Consultation, str]
) -> None:
    case, code = booked
    english.say(f"/time {code}")
    first = appointments.free_slots(case.clinic, limit=1)[0]
    other, _code = booking.book_consultation(
        booking.Booking(
            symptoms="Fever",
            age_band="18-39",
            sex="male",
            language="en",
            township=case.township,
        )
    )
    appointments.take_slot(other, first.token)
    refused = english.say("1")
    assert refused.text.startswith("This time was just taken by someone else. Choose another time.")
    assert appointments.booked(case) is None


def test_stop_erases_the_contact(english: Person, booked: tuple[Consultation, str]) -> None:
    case, code = booked
    english.say("/stop")
    done = english.say(code)
    assert done.text.startswith("Done. No more messages will be sent")
    case.refresh_from_db()
    assert (case.contact_channel, case.contact) == ("", "")
