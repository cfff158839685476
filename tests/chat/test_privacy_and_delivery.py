"""Forget me, and notices through the outbox: retried while Telegram is down, sent once."""

from __future__ import annotations

from typing import Any

import pytest
from talk import MYA, Person
from test_booking import book_in_burmese

from pyithu.accounts.models import User
from pyithu.chat.models import BookingLink, Chat
from pyithu.health.models import Consultation
from pyithu.health.services import consults
from pyithu.outbox import services as outbox
from pyithu.outbox.models import Message, MessageState

pytestmark = pytest.mark.django_db


def test_forget_me_unlinks_the_chat_and_stops_later_notices(
    mya: Person, telegram: Any, thida: User
) -> None:
    # Given Mya booked and asked to be told here
    code = book_in_burmese(mya)
    case = Consultation.objects.get()
    # When she asks to be forgotten and confirms
    mya.say("/forget")
    mya.say("1")
    # Then her chat record, sealed chat id and booking link are gone; the booking stays
    assert (Chat.objects.count(), BookingLink.objects.count()) == (0, 0)
    assert Consultation.objects.get() == case
    # And a later reply notice is not delivered anywhere: the outbox fails it at once
    consults.claim_case(thida, case.pk)
    consults.reply(thida, case.pk, "Please come to the clinic.")
    report = outbox.deliver_due()
    assert (report.sent, report.retried, report.failed) == (0, 0, 1)
    assert report.errors == ["RecipientGone"]
    assert telegram.messages_to(MYA) == []
    # And her code still opens the booking (here, after choosing a language again)
    mya.say("/start")
    mya.press("English")
    mya.say("/check")
    assert "Please come to the clinic." in mya.say(code).text


def test_saying_no_to_forget_keeps_everything(mya: Person) -> None:
    book_in_burmese(mya)
    mya.say("/forget")
    mya.say("2")
    assert (Chat.objects.count(), BookingLink.objects.count()) == (1, 1)


def test_a_notice_waits_while_telegram_is_down_and_is_sent_once(
    mya: Person, telegram: Any, thida: User
) -> None:
    book_in_burmese(mya)
    case = Consultation.objects.get()
    consults.claim_case(thida, case.pk)
    consults.reply(thida, case.pk, "Rest.")
    # When Telegram is down, the notice is kept for a retry with backoff
    telegram.down = True
    report = outbox.deliver_due()
    assert (report.sent, report.retried, report.errors) == (0, 1, ["NetworkError"])
    message = Message.objects.get()
    assert (message.state, message.attempts, message.last_error) == (
        MessageState.QUEUED,
        1,
        "NetworkError",
    )
    # When it is back and the backoff has passed, it is delivered once
    telegram.down = False
    later = message.next_attempt_at
    assert outbox.deliver_due(later).sent == 1
    assert outbox.deliver_due(later).sent == 0
    assert len(telegram.messages_to(MYA)) == 1
    assert Message.objects.get().state == MessageState.SENT
