"""The outbox: queued, claimed once, sent by a named transport, retried, never lost."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from pyithu.outbox import services, transports
from pyithu.outbox.models import Message, MessageState

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox() -> Any:
    """A transport named "test" that records what it was given."""
    sent: list[tuple[str, str]] = []
    transports.register("test", lambda address, body: sent.append((address, body)))
    yield sent
    transports.unregister("test")


@pytest.fixture
def broken() -> Any:
    def down(address: str, body: str) -> None:
        raise ConnectionError("network unreachable")

    transports.register("down", down)
    yield
    transports.unregister("down")


def test_a_queued_message_is_sealed_and_sent_once(inbox: list[tuple[str, str]]) -> None:
    # Given a message for @mya on the test transport
    message = services.enqueue("test", "@mya", "A doctor replied.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT address, body FROM outbox_message")
        raw_address, raw_body = cursor.fetchone()
    assert raw_address.startswith("sealed:") and raw_body.startswith("sealed:")
    # When the worker runs twice
    first = services.deliver_due()
    second = services.deliver_due()
    # Then it was delivered exactly once, and the address and body are erased
    assert inbox == [("@mya", "A doctor replied.")]
    assert (first.sent, second.sent) == (1, 0)
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert (message.address, message.body, message.attempts) == ("", "", 1)


def test_the_same_dedupe_key_queues_one_message() -> None:
    first = services.enqueue("console", "@mya", "one", dedupe_key="reply:1")
    again = services.enqueue("console", "@mya", "one", dedupe_key="reply:1")
    assert first.pk == again.pk
    assert Message.objects.count() == 1


def test_a_transport_that_is_down_keeps_the_message_queued_with_backoff(broken: None) -> None:
    # Given a message on a transport that raises
    now = timezone.now()
    message = services.enqueue("down", "+95 9 1234", "hello", now=now)
    # When the worker runs
    report = services.deliver_due(now)
    # Then the message is still queued, with its content, due again after the backoff
    message.refresh_from_db()
    assert (report.sent, report.retried) == (0, 1)
    assert message.state == MessageState.QUEUED
    assert (message.attempts, message.body, message.last_error) == (1, "hello", "ConnectionError")
    assert message.next_attempt_at == now + timedelta(seconds=30)
    # And running again before it is due does nothing
    assert services.deliver_due(now + timedelta(seconds=10)).retried == 0
    # And the next failure waits twice as long
    services.deliver_due(now + timedelta(seconds=30))
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == now + timedelta(seconds=30) + timedelta(seconds=60)


def test_an_unknown_channel_waits_for_its_transport(inbox: list[tuple[str, str]]) -> None:
    # "pigeon": a channel no app registers (telegram and sms register theirs when loaded)
    message = services.enqueue("pigeon", "@mya", "hi")
    assert services.deliver_due().retried == 1
    message.refresh_from_db()
    assert (message.state, message.last_error) == (MessageState.QUEUED, "UnknownTransport")


def test_after_too_many_attempts_the_message_fails_and_is_erased(broken: None) -> None:
    now = timezone.now()
    message = services.enqueue("down", "@mya", "hello", now=now)
    Message.objects.filter(pk=message.pk).update(attempts=services.MAX_ATTEMPTS - 1)
    assert services.deliver_due(now).failed == 1
    message.refresh_from_db()
    assert (message.state, message.body, message.address) == (MessageState.FAILED, "", "")


def test_an_old_message_expires_unsent(inbox: list[tuple[str, str]]) -> None:
    now = timezone.now()
    message = services.enqueue("test", "@mya", "hello", ttl=timedelta(hours=1), now=now)
    report = services.deliver_due(now + timedelta(hours=2))
    message.refresh_from_db()
    assert (report.expired, inbox) == (1, [])
    assert (message.state, message.body) == (MessageState.EXPIRED, "")


def test_a_message_claimed_by_another_worker_is_not_sent_twice(
    inbox: list[tuple[str, str]],
) -> None:
    # Given a message that another worker has just claimed
    now = timezone.now()
    message = services.enqueue("test", "@mya", "hello", now=now)
    stale = Message.objects.get(pk=message.pk)
    assert services._claim(stale, now)
    # When this worker tries to claim the same row as it read it
    # Then the conditional update refuses, and nothing is sent by it
    assert not services._claim(stale, now)
    assert inbox == []


def test_a_claim_that_lapsed_is_picked_up_again(inbox: list[tuple[str, str]]) -> None:
    # Given a worker claimed a message and died
    now = timezone.now()
    message = services.enqueue("test", "@mya", "hello", now=now)
    services._claim(Message.objects.get(pk=message.pk), now)
    # When another worker runs after the lease
    report = services.deliver_due(now + services.CLAIM_LEASE + timedelta(seconds=1))
    # Then it is sent
    assert report.sent == 1 and inbox == [("@mya", "hello")]


def test_the_send_command_runs_one_round(capsys: Any) -> None:
    services.enqueue("console", "@mya", "from the command")
    call_command("outbox", "send")
    out = capsys.readouterr().out
    assert "[outbox] to @mya: from the command" in out
    assert "sent 1, retried 0, failed 0, expired 0" in out
    call_command("outbox", "status")
    assert "sent     1" in capsys.readouterr().out


def test_the_admin_list_shows_states_but_never_content(olivia: Any) -> None:
    services.enqueue("console", "@secret-handle", "secret body text")
    client = Client()
    client.force_login(olivia)
    page = client.get("/staff/admin/outbox/message/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "queued" in html
    assert "secret-handle" not in html and "secret body" not in html


@pytest.fixture
def metered() -> Any:
    """A transport "metered" that counts a part per 10 characters at 7 a part, and takes a key."""
    sent: list[tuple[str, str, str]] = []

    def send(address: str, body: str, *, key: str) -> None:
        sent.append((address, body, key))

    def measure(body: str) -> transports.Usage:
        parts = -(-len(body) // 10)
        return transports.Usage(segments=parts, cost=parts * 7)

    transports.register("metered", send, measure=measure, keyed=True)
    yield sent
    transports.unregister("metered")


def test_the_channel_meter_records_segments_and_cost(metered: list[tuple[str, str, str]]) -> None:
    message = services.enqueue("metered", "+95 9 1234", "twenty-five characters..")
    assert (message.segments, message.cost) == (3, 21)
    # And a channel without a meter records nothing
    plain = services.enqueue("console", "@mya", "hello")
    assert (plain.segments, plain.cost) == (0, 0)
    # And the counts stay once the message is sent and its content erased
    services.deliver_due()
    message.refresh_from_db()
    assert (message.state, message.body, message.segments, message.cost) == ("sent", "", 3, 21)


def test_a_keyed_transport_gets_the_same_key_on_every_attempt(
    metered: list[tuple[str, str, str]],
) -> None:
    message = services.enqueue("metered", "+95 9 1234", "hello")
    services.deliver_due()
    assert metered == [("+95 9 1234", "hello", str(message.pk))]


def test_an_undeliverable_message_fails_at_once() -> None:
    def refuse(address: str, body: str) -> None:
        raise transports.Undeliverable("invalid number")

    transports.register("refusing", refuse)
    try:
        message = services.enqueue("refusing", "+95 0", "hello")
        report = services.deliver_due()
    finally:
        transports.unregister("refusing")
    message.refresh_from_db()
    assert (report.failed, report.retried) == (1, 0)
    assert (message.state, message.attempts, message.address, message.body) == (
        MessageState.FAILED,
        1,
        "",
        "",
    )


def test_the_admin_detail_page_shows_no_content_either(olivia: Any) -> None:
    message = services.enqueue("console", "@secret-handle", "secret body text")
    client = Client()
    client.force_login(olivia)
    page = client.get(f"/staff/admin/outbox/message/{message.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "queued" in html and "secret" not in html
    # And no one may delete the record of a message from the admin
    assert client.post(f"/staff/admin/outbox/message/{message.pk}/delete/").status_code == 403
    assert Message.objects.filter(pk=message.pk).exists()


def test_operator_summary_counts_by_channel_and_state(metered: Any) -> None:
    from pyithu.outbox import selectors

    services.enqueue("metered", "+95 9 1", "1234567890ab")
    services.enqueue("console", "@mya", "hi")
    services.deliver_due()
    services.enqueue("metered", "+95 9 2", "short")
    summary = {s.channel: (s.by_state, s.total, s.segments, s.cost) for s in selectors.summary()}
    empty = dict.fromkeys(MessageState.values, 0)
    assert summary == {
        "console": (empty | {"sent": 1}, 1, 0, 0),
        "metered": (empty | {"sent": 1, "queued": 1}, 2, 3, 21),
    }
    listed = selectors.messages(channel="metered", state="queued")
    assert [(m.channel, m.segments) for m in listed] == [("metered", 1)]
    assert listed[0].get_deferred_fields() >= {"address", "body"}
