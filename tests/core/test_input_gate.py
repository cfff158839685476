"""Input that costs or crashes: NUL characters refused at one gate, text far over its limit
refused before any work, and Zawgyi that grows past a limit told plainly."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from pydantic import TypeAdapter, ValidationError

from pyithu.core.forms import TextAreaField
from pyithu.core.schema import Text
from pyithu.core.text import TextTooLong, normalise_text

ZAWGYI = "ျမန္မာစာ"  # "Myanmar text" typed with a Zawgyi font
CHAIRMAN = "ဥကၠ႒ "  # Zawgyi: one glyph for a stacked pair that Unicode writes in three


@pytest.mark.parametrize(
    "url",
    [
        "/health/book/?clinic=%00",
        "/health/staff/?clinic=%00",
        "/?language=%00",
        "/places/townships/?q=%00",
        "/%00/",
    ],
)
def test_a_nul_in_any_parameter_gets_the_400_page(db: Any, url: str) -> None:
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 400


def test_a_nul_in_a_form_field_gets_the_400_page(db: Any) -> None:
    client = Client(raise_request_exception=False)
    response = client.post("/health/book/", {"clinic": "\x00general", "symptoms": "cough"})
    assert response.status_code == 400
    response = client.post("/accounts/login/", {"handle\x00": "alice", "passphrase": "x"})
    assert response.status_code == 400


def test_text_far_over_its_limit_is_refused_before_any_work() -> None:
    huge = ZAWGYI * 250_000  # two million characters of Zawgyi
    started = time.perf_counter()
    with pytest.raises(TextTooLong) as refused:
        normalise_text(huge, max_length=4000)
    assert refused.value.length == len(huge) and refused.value.limit == 4000
    # Within the allowance, tidying still decides: CRLFs count once
    assert normalise_text("a\r\n" * 2600, multiline=True, max_length=4000).count("\n") == 2599
    assert time.perf_counter() - started < 1  # a guard against quadratic work, not a benchmark


def test_a_form_refuses_a_huge_post_with_the_usual_length_message() -> None:
    field = TextAreaField(max_length=4000)
    with pytest.raises(Exception) as refused:
        field.clean("x" * 1_000_000)
    assert "at most 4000 characters (it has 1000000)" in str(refused.value)


def test_zawgyi_that_grows_past_the_limit_says_why() -> None:
    # Given text that fits as typed but is longer once converted to Unicode
    typed = CHAIRMAN * 700
    converted = normalise_text(typed)
    assert len(typed) <= 4000 < len(converted)
    with pytest.raises(Exception) as refused:
        TextAreaField(max_length=4000).clean(typed)
    assert "Zawgyi" in str(refused.value) and str(len(converted)) in str(refused.value)


def test_the_api_refuses_huge_text_as_a_validation_error() -> None:
    adapter = TypeAdapter(Text(100))
    with pytest.raises(ValidationError):
        adapter.validate_python("x" * 1_000_000)
    assert adapter.validate_python("  hello  ") == "hello"
