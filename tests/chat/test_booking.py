"""Booking through the bot in Burmese, a doctor's reply arriving in the chat through the
outbox, the answer going back; and the red-flag refusals the web form gives."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext
from talk import BOOKING_CODE, MYA, Person

from pyithu.accounts.models import User
from pyithu.chat import services
from pyithu.chat.models import BookingLink, Chat
from pyithu.core import sealing
from pyithu.health.models import CaseMessage, CaseStatus, Consultation, Urgency
from pyithu.health.services import consults
from pyithu.outbox import services as outbox
from pyithu.outbox.models import Message, MessageState

pytestmark = pytest.mark.django_db

# "Headache and fever" typed on a Zawgyi keyboard, and what Pyithu stores.
SYMPTOMS_ZAWGYI = "ေခါင္းကိုက္ျပီး ဖ်ားေနတယ္"
SYMPTOMS = "ခေါင်းကိုက်ပြီး ဖျားနေတယ်"


def _my(message: str) -> str:
    with translation.override("my"):
        return gettext(message)


def book_in_burmese(mya: Person, symptoms: str = SYMPTOMS_ZAWGYI, notify: bool = True) -> str:
    """Mya's whole booking conversation; returns the code the bot gave her."""
    mya.say("/start")
    mya.press("မြန်မာ")
    mya.say("/book")
    mya.say(str(len(mya.replies[-1].options)))  # the last button: none of these
    mya.say(symptoms)
    mya.say("1")  # mild
    mya.press(_my("18 to 39"))
    mya.press(_my("female"))
    reply = mya.say("Dawei")
    if reply.options and reply.options[0].startswith(("Dawei", "ထားဝယ်")) and len(reply.options) > 2:
        mya.say("1")  # several townships match: the first
    reply = mya.say("1" if notify else "2")
    code = BOOKING_CODE.search(reply.text).group(0)
    return code


def test_mya_books_in_burmese_gets_the_reply_in_the_chat_and_answers(
    mya: Person, telegram: Any, thida: User
) -> None:
    # Given Mya books through the bot in Burmese, typing her symptoms in Zawgyi
    code = book_in_burmese(mya)
    # Then the consultation is booked with her words in Unicode, in Burmese, reachable here
    case = Consultation.objects.get()
    assert (case.symptoms, case.language, case.contact_channel) == (SYMPTOMS, "my", "telegram")
    assert case.urgency == Urgency.ROUTINE and len(code) == 19
    chat = Chat.objects.get()
    assert (chat.language, chat.step, chat.state, chat.address) == ("my", "", "", str(MYA))
    assert BookingLink.objects.get().consultation == case
    # When Dr Thida claims the case and replies through the health service
    consults.claim_case(thida, case.pk)
    consults.reply(thida, case.pk, "Drink water and rest. Paracetamol 500 mg if the fever is high.")
    # And the outbox delivers
    report = outbox.deliver_due()
    # Then the fake Telegram received the notice in Mya's chat, without the reply's content
    assert report.sent == 1
    notice = telegram.wait_for(MYA, 1)[0]["text"]
    with translation.override("my"):
        expected = (
            gettext("Pyithu health: a doctor replied. Open the service and enter your code.")
            + "\n"
            + gettext("To read it here: /check, then your code.")
        )
    assert notice == expected
    assert Message.objects.get().state == MessageState.SENT
    # When Mya checks with her code, she reads the reply
    mya.say("/check")
    reply = mya.say(code)
    assert "Drink water and rest. Paracetamol 500 mg if the fever is high." in reply.text
    # And she answers the doctor
    done = mya.say("ကျေးဇူးပါ ဆရာမ။ အဖျားကျသွားပြီ။")
    assert done.text.startswith(_my("Sent to the doctor."))
    answer = CaseMessage.objects.filter(author=CaseMessage.Author.PATIENT).get()
    assert (answer.consultation, answer.body) == (case, "ကျေးဇူးပါ ဆရာမ။ အဖျားကျသွားပြီ။")
    assert Chat.objects.get().step == ""


def test_the_chat_keeps_no_raw_telegram_id_or_name(mya: Person) -> None:
    # Given Mya booked and asked to be told here
    book_in_burmese(mya)
    # Then her chat is known by a keyed hash; the chat id is stored sealed only
    chat = Chat.objects.get()
    assert chat.person == sealing.digest("chat-tg-user", str(MYA))
    with connection.cursor() as cursor:
        cursor.execute("SELECT person, address, state, language FROM chat_chat")
        row = cursor.fetchone()
    assert str(MYA) not in " ".join(str(v) for v in row)
    assert row[1].startswith("sealed:")


def test_without_notices_no_chat_id_is_kept(mya: Person) -> None:
    book_in_burmese(mya, notify=False)
    case = Consultation.objects.get()
    assert (case.contact_channel, case.contact) == ("", "")
    assert BookingLink.objects.count() == 0
    assert Chat.objects.get().address is None


def test_a_ticked_emergency_is_refused_with_first_aid_and_nothing_booked(mya: Person) -> None:
    mya.say("/start")
    mya.press("English")
    mya.say("/book")
    # When Mya says chest pain is happening now
    reply = mya.press("Chest pain or tightness now")
    # Then she is told to go now, with the first-aid steps, and nothing is booked
    assert reply.text.splitlines()[:2] == [
        "This is an emergency: we cannot help online.",
        "Go now to the nearest hospital, clinic or health worker, or ask someone to take you.",
    ]
    assert "1. Stop all effort: sit down and rest." in reply.text
    assert Consultation.objects.count() == 0
    assert Chat.objects.get().step == ""


def test_suicidal_thoughts_go_to_the_hotline_and_the_mental_health_clinic(mya: Person) -> None:
    mya.say("/start")
    mya.press("English")
    mya.say("/book")
    reply = mya.press("Thoughts of ending your life")
    assert reply.text.startswith("Talk to someone now\n1. You are not alone")
    assert Consultation.objects.count() == 0
    # When she accepts the mental-health clinic, the booking starts there
    mya.press("Book with the mental-health clinic")
    assert Chat.objects.get().step == "book.flags"
    mya.say(str(len(mya.replies[-1].options)))
    mya.say("I feel hopeless since my village was burned.")
    for answer in ("1", "3", "1", "Dawei"):
        reply = mya.say(answer)
    if Chat.objects.get().step == "book.township":
        mya.say("1")
    mya.say("2")
    assert Consultation.objects.get().clinic.slug == "primary-mental-health"


def test_an_emergency_found_in_words_asks_first_then_books_as_urgent(mya: Person) -> None:
    mya.say("/start")
    mya.press("English")
    mya.say("/book")
    mya.say(str(len(mya.replies[-1].options)))
    mya.say("I had chest pain last year, now a cough.")
    for answer in ("1", "3", "1", "Dawei"):
        mya.say(answer)
    if Chat.objects.get().step == "book.township":
        mya.say("1")
    reply = mya.say("2")
    # Then the bot asks whether it is happening now, and books nothing yet
    assert reply.text.startswith("This may be an emergency.")
    assert reply.options == ("Yes, it is happening now", "No, not now")
    assert Consultation.objects.count() == 0
    # When she says it is not happening now, the booking is made and marked urgent
    booked = mya.press("No, not now")
    assert booked.text.startswith("Booked with: General clinic")
    assert Consultation.objects.get().urgency == Urgency.URGENT


def test_a_closed_booking_loses_its_link_after_the_grace(mya: Person, thida: User) -> None:
    from datetime import timedelta

    from django.utils import timezone

    book_in_burmese(mya)
    case = Consultation.objects.get()
    consults.claim_case(thida, case.pk)
    consults.record_outcome(thida, case.pk, "advice", message="Rest.")
    assert Consultation.objects.get().status == CaseStatus.CLOSED
    # Within the outbox's delivery window the link stays, so the last notice can go out
    assert services.prune()["links"] == 0
    # After it, the link and the sealed chat id go
    later = timezone.now() + services.LINK_GRACE + timedelta(minutes=1)
    assert services.prune(later) == {"links": 1, "addresses": 1, "steps": 0, "chats": 0}
    assert Chat.objects.get().address is None
