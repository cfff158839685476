"""Cases that move: unanswered claims return to the queue, coordinators reassign, a doctor who
stops volunteering hands everything back, and the history stays with the case."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pyithu.accounts.models import Role, User
from pyithu.health.errors import HealthError
from pyithu.health.models import (
    AppointmentStatus,
    CaseEvent,
    CaseStatus,
    Clinic,
    Consultation,
    Roster,
)
from pyithu.health.services import cases, consults
from pyithu.outbox.models import Message

PASSPHRASE = "tea leaf salad 1988"


@pytest.fixture
def aye(make_doctor: Any) -> User:
    return make_doctor("doctor-aye")


@pytest.fixture
def su(make_staff: Any) -> User:
    """A clinic coordinator of the Ministry of Health."""
    return make_staff("coordinator-su", Role.CLINIC_COORDINATOR, "health")


def _claimed(book: Any, doctor: User, hours_ago: float = 0) -> Consultation:
    case, _code = book()
    consults.claim_case(doctor, case.pk)
    claimed_at = timezone.now() - timedelta(hours=hours_ago)
    Consultation.objects.filter(pk=case.pk).update(claimed_at=claimed_at)
    case.refresh_from_db()
    return case


def _kinds(case: Consultation) -> list[str]:
    return list(case.events.values_list("kind", flat=True))


def test_an_unanswered_claim_returns_to_the_queue_after_the_clinic_set_time(
    book: Any, thida: User
) -> None:
    # Given the general clinic gives doctors 24 hours to reply
    assert Clinic.objects.get(slug=Clinic.GENERAL).claim_timeout_hours == 24
    silent = _claimed(book, thida, hours_ago=25)
    answered = _claimed(book, thida, hours_ago=25)
    consults.reply(thida, answered.pk, "Please tell me your temperature.")
    recent = _claimed(book, thida, hours_ago=2)
    # When the periodic command runs
    assert cases.release_stale_claims() == 1
    # Then only the silent claim is back in the queue, with its history
    silent.refresh_from_db()
    assert (silent.status, silent.doctor_id, silent.claimed_at) == (CaseStatus.WAITING, None, None)
    assert _kinds(silent) == [CaseEvent.Kind.CLAIMED, CaseEvent.Kind.RELEASED]
    for kept in (answered, recent):
        kept.refresh_from_db()
        assert (kept.status, kept.doctor_id) == (CaseStatus.OPEN, thida.pk)
    # And a second run changes nothing
    assert cases.release_stale_claims() == 0


def test_a_clinic_with_no_timeout_keeps_claims(book: Any, thida: User) -> None:
    Clinic.objects.filter(slug=Clinic.GENERAL).update(claim_timeout_hours=0)
    case = _claimed(book, thida, hours_ago=500)
    assert cases.release_stale_claims() == 0
    case.refresh_from_db()
    assert case.doctor_id == thida.pk


def test_the_queue_page_returns_stale_claims_itself(book: Any, thida: User, aye: User) -> None:
    case = _claimed(book, thida, hours_ago=30)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(aye)
    page = client.get("/health/staff/queue/")
    assert case.reference in page.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING


def test_a_coordinator_reassigns_and_sees_each_doctors_load(
    book: Any, thida: User, aye: User, su: User
) -> None:
    first = _claimed(book, thida)
    _claimed(book, thida)
    waiting, _code = book()
    # The load: Thida holds two, Aye none
    loads = {load.doctor.handle: load.open_cases for load in cases.doctor_loads()}
    assert loads == {"doctor-thida": 2, "doctor-aye": 0}
    # When Su gives one of Thida's cases and a waiting one to Aye
    cases.reassign(su, first.pk, aye)
    cases.reassign(su, waiting.pk, aye)
    loads = {load.doctor.handle: load.open_cases for load in cases.doctor_loads()}
    assert loads == {"doctor-thida": 1, "doctor-aye": 2}
    event = first.events.last()
    assert (event.kind, event.actor, event.doctor) == (CaseEvent.Kind.REASSIGNED, su, aye)
    # And back to the queue
    cases.reassign(su, first.pk, None)
    first.refresh_from_db()
    assert (first.status, first.doctor) == (CaseStatus.WAITING, None)


def test_a_reassignment_by_a_doctor_is_refused_and_changes_nothing(
    book: Any, thida: User, aye: User
) -> None:
    case = _claimed(book, thida)
    with pytest.raises(HealthError) as refused:
        cases.reassign(aye, case.pk, aye)
    assert str(refused.value.message) == (
        "Only a clinic coordinator can reassign cases. Nothing was changed."
    )
    case.refresh_from_db()
    assert (case.status, case.doctor_id) == (CaseStatus.OPEN, thida.pk)
    assert _kinds(case) == [CaseEvent.Kind.CLAIMED]


def test_a_reassignment_page_post_by_a_doctor_is_a_403_with_the_reason(
    book: Any, thida: User, aye: User
) -> None:
    case = _claimed(book, thida)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(aye)
    response = client.post("/health/staff/coordinate/", {"case": case.pk.hex, "doctor": aye.pk.hex})
    assert response.status_code == 403
    assert "Only a clinic coordinator can reassign cases." in response.content.decode()
    case.refresh_from_db()
    assert case.doctor_id == thida.pk
    assert client.get("/health/staff/coordinate/").status_code == 403


def test_a_case_goes_only_to_a_doctor_of_its_clinic(
    book: Any, thida: User, kyaw: User, su: User
) -> None:
    case = _claimed(book, thida)
    with pytest.raises(HealthError, match="does not work in this case's clinic"):
        cases.reassign(su, case.pk, kyaw)
    case.refresh_from_db()
    assert case.doctor_id == thida.pk


def test_the_coordinator_page_reassigns(book: Any, thida: User, aye: User, su: User) -> None:
    case = _claimed(book, thida)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(su)
    page = client.get("/health/staff/coordinate/").content.decode()
    assert case.reference in page and "doctor-aye" in page
    done = client.post(
        "/health/staff/coordinate/", {"case": case.pk.hex, "doctor": aye.pk.hex}, follow=True
    )
    assert "Case reassigned. The doctor sees it in their queue." in done.content.decode()
    case.refresh_from_db()
    assert case.doctor_id == aye.pk


def test_a_doctor_stopping_hands_every_case_back_in_one_step(
    book: Any, thida: User, aye: User
) -> None:
    from datetime import time

    from pyithu.health.services import appointments

    general = Clinic.objects.get(slug=Clinic.GENERAL)
    for day in range(7):
        appointments.publish_roster(thida, general, day, time(8), time(20), 30, "Asia/Yangon")
    patient, _code = book(contact_channel="phone", contact="+959111222333")
    slot = appointments.free_slots(general)[0]
    booked = appointments.take_slot(patient, slot.token)
    held = [_claimed(book, thida) for _ in range(3)]
    other = _claimed(book, aye)
    # When Thida stops volunteering
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(thida)
    page = client.post("/health/staff/hand-back/", follow=True).content.decode()
    assert "3 case(s) went back to the queue" in page
    # Then her three cases wait in the queue with their history, Aye's is untouched
    for case in held:
        case.refresh_from_db()
        assert (case.status, case.doctor_id) == (CaseStatus.WAITING, None)
        assert _kinds(case) == [CaseEvent.Kind.CLAIMED, CaseEvent.Kind.HANDED_BACK]
    other.refresh_from_db()
    assert other.doctor_id == aye.pk
    assert not Roster.objects.filter(doctor=thida, active=True).exists()
    # Her time ahead is cancelled and the patient told, without a word of the consultation
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED
    notice = Message.objects.get(dedupe_key=f"health-remind:cancel:{booked.pk}")
    assert notice.address == "+959111222333" and "ပယ်ဖျက်" in notice.body
    assert "Cough" not in notice.body
    assert appointments.free_slots(general) == []


def test_the_history_carries_who_and_when_never_health_content(
    book: Any, thida: User, aye: User, su: User
) -> None:
    case = _claimed(book, thida)
    cases.reassign(su, case.pk, aye)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(aye)
    page = client.get(f"/health/staff/case/{case.pk}/").content.decode()
    assert "reassigned by a coordinator" in page and "coordinator-su" in page
    fields = {f.name for f in CaseEvent._meta.get_fields()}
    assert fields == {
        "id",
        "created_at",
        "updated_at",
        "consultation",
        "kind",
        "actor",
        "doctor",
    }


def test_a_revoked_doctor_counts_in_no_load(book: Any, thida: User, su: User) -> None:
    thida.role_grants.update(revoked_at=timezone.now())
    assert [load.doctor.handle for load in cases.doctor_loads()] == []
