"""No text, however odd, makes the webhook fail with a server error."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pyithu.sms import commands

from .conftest import INBOUND_TOKEN

FUZZ = hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], min_codepoint=0, max_codepoint=0x1FFFF),
    max_size=400,
)
command_like = st.builds(
    lambda word, rest: word + rest,
    st.sampled_from(["STATUS ", "result", "ရလဒ်", "အခြေအနေ ", "HELP", "\u101b\u101c\u1012\u1039"]),
    text,
)


@FUZZ
@given(sender=st.one_of(text, st.from_regex(r"\+?[0-9]{5,15}", fullmatch=True)), body=text)
def test_any_sender_and_text_get_a_200_or_a_400(
    db: Any, settings: Any, sender: str, body: str
) -> None:
    settings.PYITHU_SMS_INBOUND_TOKEN = INBOUND_TOKEN
    response = Client(raise_request_exception=False).post(
        "/sms/inbound/",
        json.dumps({"from": sender, "text": body}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {INBOUND_TOKEN}",
    )
    assert response.status_code in (200, 400), (sender, body)


@FUZZ
@given(body=st.one_of(text, command_like))
def test_parsing_any_text_gives_a_known_command(body: str) -> None:
    parsed = commands.parse(body)
    assert parsed.command in {"help", "status", "result", "unknown", "empty"}
    assert parsed.language in {"en", "my"}
    assert parsed.code == "" or (parsed.code.isascii() and parsed.code.isalnum())
