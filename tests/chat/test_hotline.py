"""/hotline on Telegram: what to do now, the numbers, the wait, and a call-back request that keeps
only the number or @name the person sends (never the chat's own id)."""

from __future__ import annotations

import pytest
from talk import Person

from pyithu.health.models import CallbackRequest, HotlineNumber

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(mya: Person) -> Person:
    mya.say("/start")
    mya.press("English")
    return mya


def test_hotline_shows_the_numbers_and_queues_a_call_back(english: Person) -> None:
    HotlineNumber.objects.create(slug="z", label_en="Zero", label_my="ဇ", number="09-000-000-111")
    first = english.say("/hotline")
    assert "Zero: 09-000-000-111" in first.text
    assert "No counsellor is on duty right now." in first.text
    # Something that is neither a number nor a name: asked again, nothing kept
    again = english.say("please call")
    assert again.text == "Send a phone number like 09 123 456 789, or a name like @name."
    assert CallbackRequest.objects.count() == 0
    done = english.say("@mya_needs_help")
    assert done.text.startswith("A counsellor will call you back.")
    request = CallbackRequest.objects.get()
    assert (request.via, request.contact_channel, request.contact) == (
        "telegram",
        "telegram",
        "@mya_needs_help",
    )
