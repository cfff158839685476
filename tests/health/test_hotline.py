"""The live hotline: a priority queue, a plain wait, counsellors who answer, alerts, erasure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from pyithu.accounts import services as accounts
from pyithu.accounts.models import Role, User
from pyithu.health.errors import HealthError
from pyithu.health.models import (
    CallbackRequest,
    CounsellorShift,
    HotlineNumber,
    HotlinePriority,
    HotlineSettings,
)
from pyithu.health.services import hotline
from pyithu.outbox.models import Message

Status = CallbackRequest.Status


@pytest.fixture
def nilar(make_staff: Any) -> User:
    """A counsellor on duty now."""
    user = make_staff("counsellor-nilar", Role.COUNSELLOR, "health")
    now = timezone.now()
    CounsellorShift.objects.create(
        counsellor=user, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3)
    )
    return user


@pytest.fixture
def coordinator(db: Any) -> HotlineSettings:
    return HotlineSettings.objects.create(
        alert_after_minutes=15, minutes_per_call=20, coordinator_contact="+959000000333"
    )


def ask(priority: int = HotlinePriority.TALK, contact: str = "+959111111111") -> CallbackRequest:
    return hotline.request_callback(
        priority=priority, language="my", contact_channel="phone", contact=contact
    )


def test_the_queue_puts_the_most_urgent_first_and_the_wait_counts_who_is_ahead(nilar: User) -> None:
    # Given two people who want to talk, then one in danger
    first, second = ask(), ask()
    danger = ask(HotlinePriority.DANGER)
    # Then the queue is by priority, then by time waited
    assert list(hotline.queue()) == [danger, first, second]
    # And with one counsellor on duty and 20 minutes a call, the waits are plain numbers
    assert hotline.wait_for(danger) == hotline.Wait(0, 1, 5, None)
    assert hotline.wait_for(first) == hotline.Wait(1, 1, 20, None)
    assert hotline.wait_for(second) == hotline.Wait(2, 1, 40, None)


def test_with_nobody_on_duty_the_person_is_told_to_call_a_number(db: Any) -> None:
    request = ask()
    wait = hotline.wait_for(request)
    assert wait.minutes is None and wait.on_duty == 0
    assert hotline.wait_text(wait) == (
        "No counsellor is on duty right now. Call one of the numbers below."
    )


def test_a_request_needs_only_a_contact_and_keeps_it_sealed(db: Any) -> None:
    with pytest.raises(HealthError) as refused:
        hotline.request_callback(
            priority=HotlinePriority.TALK, language="my", contact_channel="phone", contact=" "
        )
    assert refused.value.field == "contact"
    with pytest.raises(HealthError) as channel:
        hotline.request_callback(
            priority=HotlinePriority.TALK, language="my", contact_channel="signal", contact="x"
        )
    assert channel.value.field == "contact_channel"
    assert CallbackRequest.objects.count() == 0
    ask(contact="+959222222222")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM health_callbackrequest")
        (raw,) = cursor.fetchone()
    assert raw.startswith("sealed:") and "222222" not in raw


def test_a_counsellor_takes_talks_and_the_number_is_erased(nilar: User) -> None:
    request = ask(HotlinePriority.TODAY)
    hotline.take(nilar, request.pk)
    hotline.record_call(nilar, request.pk, talked=True, note="ok after talk")
    request.refresh_from_db()
    assert request.status == Status.CLOSED and request.closed_at is not None
    assert request.contact == "" and request.message == ""
    assert request.note == "ok after talk"
    assert list(hotline.queue()) == []


def test_no_answer_goes_back_to_the_queue_keeping_its_place(nilar: User) -> None:
    request, later = ask(), ask()
    hotline.take(nilar, request.pk)
    hotline.record_call(nilar, request.pk, talked=False)
    request.refresh_from_db()
    assert request.status == Status.NO_ANSWER and request.counsellor is None
    assert request.contact == "+959111111111"
    assert list(hotline.queue()) == [request, later]


def test_two_counsellors_cannot_take_the_same_request(nilar: User, make_staff: Any) -> None:
    hsu = make_staff("counsellor-hsu", Role.COUNSELLOR, "health")
    request = ask()
    hotline.take(nilar, request.pk)
    with pytest.raises(HealthError) as refused:
        hotline.take(hsu, request.pk)
    assert str(refused.value.message) == "Another counsellor has already taken this request."
    request.refresh_from_db()
    assert request.counsellor == nilar


def test_someone_without_the_counsellor_role_changes_nothing(thida: User, nilar: User) -> None:
    request = ask()
    for act in (
        lambda: hotline.take(thida, request.pk),
        lambda: hotline.escalate(thida, request.pk),
        lambda: hotline.close(thida, request.pk),
    ):
        with pytest.raises(HealthError) as refused:
            act()
        assert refused.value.message == hotline.ONLY_COUNSELLORS
    request.refresh_from_db()
    assert (request.status, request.priority, request.contact) == (
        Status.WAITING,
        HotlinePriority.TALK,
        "+959111111111",
    )


def test_escalating_puts_it_first_and_tells_the_coordinator(
    nilar: User, coordinator: HotlineSettings
) -> None:
    first, request = ask(), ask()
    hotline.escalate(nilar, request.pk, note="plan and means")
    assert list(hotline.queue()) == [request, first]
    message = Message.objects.get()
    assert message.address == "+959000000333"
    assert request.reference in message.body and "plan" not in message.body


def test_unanswered_requests_alert_the_coordinator_once(
    nilar: User, coordinator: HotlineSettings
) -> None:
    # Given one request waiting 20 minutes and one just made
    old = ask()
    CallbackRequest.objects.filter(pk=old.pk).update(
        waiting_since=timezone.now() - timedelta(minutes=20)
    )
    ask()
    # When the alert runs twice
    assert hotline.alert_unanswered() == 1
    assert hotline.alert_unanswered() == 0
    # Then one message, counting the late request, saying nothing about anyone
    message = Message.objects.get()
    assert "၁" in message.body and "+959111111111" not in message.body


def test_the_alert_command_refuses_without_a_coordinator(db: Any) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("hotline", "alert")


def test_the_web_page_queues_a_request_and_shows_the_wait_and_the_numbers(
    nilar: User, client_my: Client
) -> None:
    HotlineNumber.objects.create(slug="z", label_en="Z", label_my="ဇ", number="09-000-000-111")
    page = client_my.get("/health/hotline/").content.decode()
    assert "09-000-000-111" in page and "မိနစ်ခန့်" in page
    # A refused form keeps what was typed and answers 400 beside the field
    refused = client_my.post("/health/hotline/", {"priority": "1", "contact": "+959333"})
    assert refused.status_code == 400 and 'value="+959333"' in refused.content.decode()
    assert CallbackRequest.objects.count() == 0
    done = client_my.post(
        "/health/hotline/", {"priority": "1", "contact_channel": "phone", "contact": "+959333"}
    )
    assert done.status_code == 302 and done["Location"] == "/health/hotline/waiting/"
    waiting = client_my.get("/health/hotline/waiting/").content.decode()
    assert "အကြံပေးကို စောင့်နေသည်" in waiting
    # And cancelling erases the number at once
    client_my.post("/health/hotline/waiting/")
    request = CallbackRequest.objects.get()
    assert request.status == Status.CLOSED and request.contact == ""


def test_a_text_saying_hotline_joins_the_queue_with_the_sender_number(nilar: User) -> None:
    from pyithu.sms import services as sms

    HotlineNumber.objects.create(slug="z", label_en="Z", label_my="ဇ", number="09-000-000-111")
    sms.receive("+959444444444", "HOTLINE")
    request = CallbackRequest.objects.get()
    assert (request.via, request.contact, request.priority) == ("sms", "+959444444444", 1)
    reply = Message.objects.get()
    assert "09-000-000-111" in reply.body and "5 minutes" in reply.body


def test_the_counsellor_desk_shows_the_contact_only_to_who_took_it(
    nilar: User, make_staff: Any, thida: User
) -> None:
    hsu = make_staff("counsellor-hsu", Role.COUNSELLOR, "health")
    request = ask(contact="+959555555555")
    taker, other = Client(), Client()
    taker.force_login(nilar)
    other.force_login(hsu)
    page = f"/health/staff/hotline/{request.pk}/"
    assert "+959555555555" not in taker.get(page).content.decode()
    taker.post(f"/health/staff/hotline/{request.pk}/act/", {"action": "take"})
    assert "+959555555555" in taker.get(page).content.decode()
    assert "+959555555555" not in other.get(page).content.decode()
    # A doctor is not a counsellor: the queue is refused
    doctor = Client()
    doctor.force_login(thida)
    assert doctor.get("/health/staff/hotline/").status_code == 403
    accounts.grant_role(thida, Role.COUNSELLOR, "health")
    assert doctor.get("/health/staff/hotline/").status_code == 200
