"""The `sms` management command and the demo lines: trying the service from a terminal."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pyithu.outbox import services as outbox
from pyithu.sms import demo
from pyithu.sms.fake_gateway import FakeGateway
from pyithu.sms.models import InboundText

pytestmark = pytest.mark.django_db


def test_receive_answers_a_text_from_the_terminal(gateway: FakeGateway, hnin_code: str) -> None:
    out = StringIO()
    call_command("sms", "receive", "+959790022222", "RESULT", hnin_code, stdout=out)
    assert out.getvalue() == "result: answered\n"
    outbox.deliver_due()
    assert [r.message for r in gateway.received] == [
        "Exam: National exam 2026, candidate 1: 2 of 2 marks. Passed."
    ]


def test_receive_refuses_a_sender_that_is_not_a_number() -> None:
    with pytest.raises(CommandError, match=r"The sender must be a phone number\."):
        call_command("sms", "receive", "MPT", "HELP")
    with pytest.raises(CommandError, match="give the sender's number"):
        call_command("sms", "receive")
    assert InboundText.objects.count() == 0


def test_the_demo_says_how_to_try_it(settings: Any) -> None:
    settings.PYITHU_SMS_INBOUND_TOKEN = ""
    lines = demo.load()
    assert len(lines) == 3 and "pyithu sms fake-gateway" in lines[0]
    assert lines[2] == "SMS: set PYITHU_SMS_INBOUND_TOKEN to open the /sms/inbound/ webhook"
