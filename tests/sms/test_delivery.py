"""Delivery that survives outages: the gateway down keeps texts queued with backoff, the gateway
back up sends each once, a lost answer does not send twice, old texts expire unsent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pyithu.outbox import services as outbox
from pyithu.outbox.models import Message, MessageState
from pyithu.sms.fake_gateway import DOWN, LOST, REFUSE, UP, FakeGateway

from .conftest import HNIN, MYA

pytestmark = pytest.mark.django_db


def _state(message: Message) -> tuple[str, int, str]:
    message.refresh_from_db()
    return message.state, message.attempts, message.last_error


def test_gateway_down_then_up_sends_each_text_once(gateway: FakeGateway) -> None:
    # Given the gateway phone is off and two texts are queued
    now = timezone.now()
    gateway.mode = DOWN
    first = outbox.enqueue("sms", MYA, "Exam: results are out.", now=now)
    outbox.enqueue("sms", HNIN, "Admission: decided.", now=now)
    # When the worker runs, then both stay queued, with their content, due after 30 s
    report = outbox.deliver_due(now)
    assert (report.sent, report.retried) == (0, 2)
    assert _state(first) == (MessageState.QUEUED, 1, "GatewayUnavailable")
    assert first.next_attempt_at == now + timedelta(seconds=30)
    assert first.body == "Exam: results are out." and first.address == MYA
    # And the second failure waits twice as long
    outbox.deliver_due(now + timedelta(seconds=30))
    assert _state(first) == (MessageState.QUEUED, 2, "GatewayUnavailable")
    assert first.next_attempt_at == now + timedelta(seconds=90)
    assert gateway.posts == 4 and gateway.received == []
    # When the phone is back and the next attempt is due
    gateway.mode = UP
    assert outbox.deliver_due(now + timedelta(seconds=60)).sent == 0  # not due yet
    report = outbox.deliver_due(now + timedelta(seconds=90))
    # Then each text arrives once, and running again sends nothing more
    assert report.sent == 2
    assert outbox.deliver_due(now + timedelta(hours=1)).sent == 0
    assert sorted((r.to, r.message) for r in gateway.received) == [
        (MYA, "Exam: results are out."),
        (HNIN, "Admission: decided."),
    ]
    assert _state(first) == (MessageState.SENT, 3, "GatewayUnavailable")
    assert (first.address, first.body) == ("", "")


def test_an_answer_lost_after_sending_does_not_send_twice(gateway: FakeGateway) -> None:
    # Given the gateway sends the text but its answer is lost (a 502 after sending)
    now = timezone.now()
    gateway.mode = LOST
    message = outbox.enqueue("sms", MYA, "Health: a doctor replied.", now=now)
    outbox.deliver_due(now)
    assert _state(message) == (MessageState.QUEUED, 1, "GatewayUnavailable")
    # When the outbox retries with the gateway fully up
    gateway.mode = UP
    outbox.deliver_due(now + timedelta(seconds=30))
    # Then the gateway saw two posts with the same key and sent the text once
    assert gateway.posts == 2
    assert [(r.to, r.key) for r in gateway.received] == [(MYA, str(message.pk))]
    assert _state(message)[0] == MessageState.SENT


def test_texts_expire_after_their_time_unsent(gateway: FakeGateway) -> None:
    now = timezone.now()
    gateway.mode = DOWN
    message = outbox.enqueue("sms", MYA, "old news", ttl=timedelta(hours=24), now=now)
    outbox.deliver_due(now)
    gateway.mode = UP
    report = outbox.deliver_due(now + timedelta(hours=25))
    assert (report.expired, report.sent, gateway.received) == (1, 0, [])
    message.refresh_from_db()
    assert (message.state, message.address, message.body) == (MessageState.EXPIRED, "", "")


def test_a_wrong_gateway_token_is_retried_not_dropped(gateway: FakeGateway, settings: Any) -> None:
    settings.PYITHU_SMS_GATEWAY_TOKEN = "old-token"
    message = outbox.enqueue("sms", MYA, "hello")
    outbox.deliver_due()
    assert _state(message) == (MessageState.QUEUED, 1, "GatewayUnavailable")
    assert gateway.received == []


def test_a_refused_text_fails_at_once_and_is_erased(gateway: FakeGateway) -> None:
    # Given a gateway that refuses the number (400: no later attempt can succeed)
    gateway.mode = REFUSE
    message = outbox.enqueue("sms", "+95000", "hello")
    # When the worker runs once, then the text fails for good, without its content
    report = outbox.deliver_due()
    assert (report.failed, report.retried) == (1, 0)
    assert _state(message) == (MessageState.FAILED, 1, "GatewayRefused")
    assert (message.address, message.body, gateway.received) == ("", "", [])


def test_no_gateway_configured_keeps_texts_waiting(settings: Any, db: Any) -> None:
    settings.PYITHU_SMS_GATEWAY_URL = ""
    message = outbox.enqueue("sms", MYA, "hello")
    assert outbox.deliver_due().retried == 1
    assert _state(message) == (MessageState.QUEUED, 1, "GatewayNotConfigured")
    settings.PYITHU_SMS_GATEWAY_URL = "file:///etc/passwd"
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox.deliver_due()
    assert _state(message) == (MessageState.QUEUED, 2, "GatewayNotConfigured")
