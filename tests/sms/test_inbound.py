"""Texts in, replies out: the webhook answers STATUS, RESULT and HELP through the outbox, and the
fake gateway receives the reply with the right text and part count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from pyithu.core import sealing
from pyithu.health.models import CaseMessage, CaseStatus, Consultation
from pyithu.outbox import services as outbox
from pyithu.outbox.models import Message, MessageState
from pyithu.sms import replies
from pyithu.sms.fake_gateway import FakeGateway
from pyithu.sms.models import InboundText, Outcome
from pyithu.sms.segments import measure

from .conftest import HNIN, MYA

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _delivered(gateway: FakeGateway) -> list[tuple[str, str]]:
    outbox.deliver_due()
    return [(r.to, r.message) for r in gateway.received]


def test_result_by_sms_reaches_the_candidate_through_the_gateway(
    webhook: Any, gateway: FakeGateway, hnin_code: str
) -> None:
    # Given Hnin's national-exam result is released
    # When she texts RESULT and her code, in lower case with spaces instead of dashes
    response = webhook("09 7900 22222", "result " + hnin_code.lower().replace("-", " "))
    # Then the webhook accepts it and a reply is queued, not yet sent
    assert response.status_code == 200 and response.json() == {"ok": True, "replied": True}
    assert gateway.received == []
    message = Message.objects.get()
    assert (message.channel, message.state, message.segments, message.cost) == (
        "sms",
        MessageState.QUEUED,
        1,
        15,
    )
    # When the outbox worker runs, then the gateway got her result, once, in one part
    text = "Exam: National exam 2026, candidate 1: 2 of 2 marks. Passed."
    assert _delivered(gateway) == [("09790022222", text)]
    assert gateway.received[0].key == str(message.pk)
    message.refresh_from_db()
    assert (message.state, message.attempts, message.address, message.body) == (
        MessageState.SENT,
        1,
        "",
        "",
    )
    # And the inbound row keeps a digest of her number, never the number
    inbound = InboundText.objects.get()
    assert inbound.sender_digest == sealing.digest("sms-sender", "09790022222")
    assert (inbound.command, inbound.language, inbound.outcome, inbound.reply_id) == (
        "result",
        "en",
        Outcome.ANSWERED,
        message.pk,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM sms_inboundtext")
        assert "09790022222" not in repr(cursor.fetchall())


def test_result_in_zawgyi_burmese_gets_a_burmese_reply(
    webhook: Any, gateway: FakeGateway, hnin_code: str
) -> None:
    # Given Hnin's phone writes Zawgyi: "ရလဒ်" typed as Zawgyi, and Burmese digits in the code
    zawgyi_result = "\u101b\u101c\u1012\u1039"
    code = hnin_code.translate(str.maketrans("0123456789", "၀၁၂၃၄၅၆၇၈၉"))
    webhook(HNIN, f"{zawgyi_result} {code}")
    # Then the command is understood and the reply is in Burmese
    inbound = InboundText.objects.get()
    assert (inbound.command, inbound.language, inbound.outcome) == ("result", "my", "answered")
    expected = replies.render(
        "result_passed", "my", sitting="National exam 2026", number=1, score=2, total=2
    )
    assert _delivered(gateway) == [(HNIN, expected)]


def test_an_unreleased_result_says_so(
    webhook: Any, gateway: FakeGateway, sitting: Any, spring_school: Any, nilar: Any
) -> None:
    from pyithu.education.exams.services import exams

    [(_n, code)] = exams.register_candidates(sitting, spring_school, 1, nilar)
    webhook(HNIN, f"RESULT {code}")
    assert InboundText.objects.get().outcome == Outcome.NOT_RELEASED
    assert _delivered(gateway) == [
        (HNIN, "Exam: the results are not released yet. Try again later.")
    ]


def test_result_with_an_application_code_gives_the_admission_status(
    webhook: Any, gateway: FakeGateway, aung_application: str
) -> None:
    webhook(MYA, f"RESULT {aung_application}")
    assert _delivered(gateway) == [
        (MYA, "Admission: Spring Online School has not decided yet. Check again later.")
    ]


def test_status_of_a_booking(
    webhook: Any, gateway: FakeGateway, mya_booking: tuple[Consultation, str]
) -> None:
    # Given Mya's booking, waiting for a doctor
    case, code = mya_booking
    # When she texts "Status" and her code in capitals
    webhook(MYA, f"Status {code.upper()}")
    # Then she is told it waits, without a word about her clinic or symptoms
    waiting = (
        "Health: your consultation is waiting for a doctor. Send STATUS and your code again later."
    )
    assert _delivered(gateway) == [(MYA, waiting)]
    # And once a doctor has it and replied twice, with a follow-up date
    Consultation.objects.filter(pk=case.pk).update(
        status=CaseStatus.OPEN, follow_up_on="2026-12-03"
    )
    for body in ("Drink water.", "Come back if the fever stays."):
        CaseMessage.objects.create(consultation=case, author="doctor", body=body)
    webhook(MYA, f"STATUS {code}")
    assert _delivered(gateway)[1] == (
        MYA,
        "Health: a doctor has your consultation. Doctor replies: 2. Read them on the web with "
        "your code. Follow-up: 2026-12-03.",
    )
    assert list(Message.objects.values_list("segments", flat=True)) == [1, 1]


def test_help_in_burmese(webhook: Any, gateway: FakeGateway) -> None:
    webhook(MYA, "အကူအညီ")
    inbound = InboundText.objects.get()
    assert (inbound.command, inbound.language, inbound.outcome) == ("help", "my", Outcome.HELP)
    assert _delivered(gateway) == [(MYA, replies.render("help", "my"))]
    assert Message.objects.get().segments == measure(replies.render("help", "my")).segments


@pytest.mark.parametrize(
    ("text", "outcome", "reply"),
    [
        ("", Outcome.HELP, "help"),
        ("hello?", Outcome.UNKNOWN, "We did not understand. Send HELP for the commands."),
        (
            "RESULT",
            Outcome.MISSING_CODE,
            "Send RESULT, a space and your code, e.g. RESULT ABCD-EFGH",
        ),
        (
            "STATUS ABCD-EFGH-JKMN-PQRS",
            Outcome.NOT_FOUND,
            "Nothing matches this code. Check it letter by letter and send it again.",
        ),
        (
            "RESULT 0000-0000-0000-0000",
            Outcome.NOT_FOUND,
            "Nothing matches this code. Check it letter by letter and send it again.",
        ),
    ],
)
def test_bad_input_gets_a_short_helpful_reply(
    webhook: Any, gateway: FakeGateway, text: str, outcome: str, reply: str
) -> None:
    response = webhook(MYA, text)
    assert response.status_code == 200
    assert InboundText.objects.get().outcome == outcome
    expected = replies.render("help", "my") if reply == "help" else reply
    assert _delivered(gateway) == [(MYA, expected)]


def test_flooding_gets_one_slow_down_then_silence(webhook: Any, gateway: FakeGateway) -> None:
    # Given Mya sends five wrong texts (the limit), each answered
    for _i in range(5):
        webhook(MYA, "hello")
    # When she sends three more within ten minutes
    answers = [webhook(MYA, "hello").json()["replied"] for _i in range(3)]
    # Then only the first of them gets a reply: slow down; the others none
    assert answers == [True, False, False]
    delivered = _delivered(gateway)
    assert len(delivered) == 6
    assert delivered[-1] == (MYA, "Too many messages. Wait 10 minutes, then send again.")
    assert list(InboundText.objects.values_list("outcome", flat=True))[-3:] == [
        Outcome.SLOWED_DOWN,
        Outcome.IGNORED,
        Outcome.IGNORED,
    ]
    # And another number is not held back
    assert webhook(HNIN, "HELP").json()["replied"] is True


def test_a_webhook_delivered_twice_is_answered_once(webhook: Any, gateway: FakeGateway) -> None:
    webhook(MYA, "HELP", id="gw-123")
    webhook(MYA, "HELP", id="gw-123")
    assert InboundText.objects.count() == 1 and Message.objects.count() == 1


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"HTTP_AUTHORIZATION": "Bearer wrong"}, 401)],
)
def test_the_webhook_refuses_without_its_token(
    gateway: FakeGateway, headers: dict[str, str], status: int
) -> None:
    response = Client().post(
        "/sms/inbound/", {"from": MYA, "text": "HELP"}, content_type="application/json", **headers
    )
    assert response.status_code == status
    assert InboundText.objects.count() == 0 and Message.objects.count() == 0


def test_the_webhook_is_closed_when_no_token_is_configured(settings: Any) -> None:
    settings.PYITHU_SMS_INBOUND_TOKEN = ""
    response = Client().post(
        "/sms/inbound/",
        {"from": MYA, "text": "HELP"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer ",
    )
    assert response.status_code == 401 and InboundText.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        ("{not json", "application/json", "The request is not valid JSON."),
        ('["HELP"]', "application/json", "The request is not valid JSON."),
        (
            '{"from": "MPT", "text": "HELP"}',
            "application/json",
            "The sender must be a phone number.",
        ),
        ('{"text": "HELP"}', "application/json", "The sender must be a phone number."),
        ('{"from": "+9591234567", "text": 5}', "application/json", "The text must be a string."),
    ],
)
def test_malformed_posts_are_refused_with_400_and_change_nothing(
    gateway: FakeGateway, body: str, content_type: str, error: str
) -> None:
    # (A gateway that asks for English gets English errors; the site's default is Burmese.)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/sms/inbound/",
        body,
        content_type=content_type,
        HTTP_AUTHORIZATION="Bearer inbound-secret",
    )
    assert (response.status_code, response.json()) == (400, {"error": error})
    assert InboundText.objects.count() == 0 and Message.objects.count() == 0


def test_a_form_encoded_post_works_too(gateway: FakeGateway) -> None:
    response = Client().post(
        "/sms/inbound/",
        {"from": MYA, "text": "help"},
        HTTP_AUTHORIZATION="Bearer inbound-secret",
    )
    assert response.json() == {"ok": True, "replied": True}
    assert _delivered(gateway) == [(MYA, replies.render("help", "en"))]


def test_get_is_not_allowed(gateway: FakeGateway) -> None:
    assert Client().get("/sms/inbound/").status_code == 405
