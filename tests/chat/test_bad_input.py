"""Wrong codes, unknown commands, free text where a choice is expected, stickers, groups,
flooding and a failing step: always a short reply in the person's language, never a crash."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from talk import Person

from pyithu.accounts.models import LoginFailure
from pyithu.chat.conversation import Incoming, Reply, handle
from pyithu.chat.models import Chat
from pyithu.health.models import Consultation

pytestmark = pytest.mark.django_db

MENU = (
    "What would you like to do?\n/book: see a doctor online\n"
    "/check: your booking, the doctor's replies\n"
    "/time: a time with a doctor · /stop: no more messages\n"
    "/search: health questions and answers\n"
    "/admission: admission status by code\n/result: exam result by code\n"
    "/hotline: a counsellor calls you back\n/language · /forget · /cancel"
)
BUTTONS = (
    "Book a doctor",
    "My booking",
    "Health answers",
    "Admission",
    "Exam result",
    "Talk to a counsellor",
)


@pytest.fixture
def english(mya: Person) -> Person:
    mya.say("/start")
    mya.press("English")
    return mya


def test_start_asks_the_language_and_warns_that_chats_can_be_watched(mya: Person) -> None:
    first = mya.say("/start")
    assert first == Reply("ဘာသာစကား ရွေးပါ။ Choose your language.", ("မြန်မာ", "English"))
    chosen = mya.press("English")
    assert chosen.text == (
        "Chats can be watched: Telegram keeps a copy, and anyone with your phone can read them. "
        "Do not write your name.\nMore private: the website https://pyithu.example\n\n" + MENU
    )
    assert chosen.options == BUTTONS
    assert Chat.objects.get().language == "en"


def test_a_wrong_booking_code_gets_the_web_refusal_and_counts(english: Person) -> None:
    english.say("/check")
    reply = english.say("abcd-efgh-jkmn-pqrs")
    assert reply == Reply("No consultation matches that code. Check it and try again.", ("Cancel",))
    # The step stays, so she can type it again; the failure counts like the web's
    assert Chat.objects.get().step == "check.code"
    assert LoginFailure.objects.count() == 1


def test_wrong_education_codes_get_the_education_refusals(english: Person) -> None:
    english.say("/admission")
    assert english.say("NOPE-NOPE").text == "No application has this code. Check it and try again."
    english.say("/result")
    assert english.say("1234").text == "This exam code is not valid. Check it and try again."


def test_unknown_commands_and_plain_text_get_the_menu(english: Person) -> None:
    assert english.say("/weather") == Reply(f"I do not know that command.\n{MENU}", BUTTONS)
    assert english.say("hello?") == Reply(MENU, BUTTONS)


def test_free_text_where_a_choice_is_expected_asks_again(english: Person) -> None:
    english.say("/book")
    english.say(str(len(english.replies[-1].options)))
    english.say("Cough for two weeks")
    reply = english.say("quite bad I think")
    assert reply.text.startswith("Please choose one of the buttons, or send its number.\n\nHow bad")
    assert reply.options == (
        "mild: it can wait a few days",
        "moderate: within a day",
        "severe, but not an emergency",
        "Cancel",
    )
    assert Chat.objects.get().step == "book.urgency"


def test_cancel_forgets_the_answers_so_far(english: Person) -> None:
    english.say("/book")
    english.say(str(len(english.replies[-1].options)))
    english.say("Cough for two weeks")
    assert english.press("Cancel") == Reply(f"Stopped. Nothing was kept.\n{MENU}", BUTTONS)
    chat = Chat.objects.get()
    assert (chat.step, chat.state, chat.step_at) == ("", "", None)
    assert Consultation.objects.count() == 0


def test_a_sticker_and_an_overlong_message_get_short_answers(english: Person) -> None:
    assert english.say(None) == Reply("I can read only text messages.")
    too_long = english.say("x" * 5000)
    assert too_long.text == "That is too long. Please keep it under 4096 characters."


def test_a_burmese_speaker_is_answered_in_burmese(mya: Person) -> None:
    from django.utils import translation
    from django.utils.translation import gettext

    mya.say("/start")
    mya.press("မြန်မာ")
    reply = mya.say("/unknown")
    with translation.override("my"):
        assert reply.text.startswith(gettext("I do not know that command."))


def test_in_a_group_the_bot_only_points_to_a_private_chat(mya: Person) -> None:
    assert mya.say("/book", private=False).text.endswith("Please write to me in a private chat.")
    assert mya.say("chest pain", private=False) is None
    assert Chat.objects.count() == 0


def test_flooding_is_answered_once_then_silently_until_the_minute_is_over(
    english: Person, settings: Any
) -> None:
    settings.PYITHU_TELEGRAM_RATE_PER_MINUTE = 4
    now = timezone.now() + timedelta(minutes=2)  # a fresh window
    replies = [english.say("hello", now + timedelta(seconds=i)) for i in range(6)]
    assert [r is None for r in replies] == [False, False, False, False, False, True]
    assert replies[4].text == "You are sending messages too fast. Wait a minute, then try again."
    assert replies[3] == Reply(MENU, BUTTONS)
    # A minute later she is answered again
    assert english.say("hello", now + timedelta(seconds=70)) == Reply(MENU, BUTTONS)


def test_a_failing_step_answers_politely_and_changes_nothing(
    english: Person, monkeypatch: Any
) -> None:
    from pyithu.chat import conversation

    def broken(turn: Any, arg: str) -> Reply:
        turn.go("book.flags", clinic="general")
        raise RuntimeError("database on fire: Mya's secret")

    monkeypatch.setitem(conversation.COMMANDS, "/book", broken)
    reply = english.say("/book")
    assert reply == Reply("Something went wrong on our side. Please try again later.")
    assert Chat.objects.get().step == ""


def test_a_stale_step_is_forgotten(english: Person) -> None:
    english.say("/book")
    later = timezone.now() + timedelta(hours=1)
    assert english.say("1", later) == Reply(MENU, BUTTONS)
    assert Chat.objects.get().state == ""


def test_handle_needs_no_language_before_start(mya: Person) -> None:
    reply = handle(Incoming(777, 777, True, "/book"))
    assert reply == Reply("ဘာသာစကား ရွေးပါ။ Choose your language.", ("မြန်မာ", "English"))
