"""Every SMS template fits two parts, in Burmese and in English, with the longest values."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext

from pyithu.sms import replies
from pyithu.sms.segments import measure

# The longest values a template is given: Burmese free text in both languages (a sitting or
# school named in Burmese turns an English text into UCS-2 too), big numbers, long dates.
LONGEST = {
    "command": "RESULT",
    "minutes": "10",
    "replies": "999",
    "date": "2026-12-31",
    "times": "311430 311450 312340",
    "when": "31-12 23:40",
    "number": "99999",
    "phone": "+95 9 4000 0000 0000 (day and night)",
    "score": "1000",
    "total": "1000",
    "sitting": "အခြေခံပညာ အထက်တန်း စာမေးပွဲ (တက္ကသိုလ်ဝင်) ၂၀၂၆ ခုနှစ် ဒုတိယအကြိမ်",
    "school": "ရွှေပြည်သာ အခြေခံပညာ အထက်တန်းကျောင်း (အွန်လိုင်း) ဒုတိယ ခွဲ",
}


def _values(name: str) -> dict[str, str]:
    text = str(replies.TEMPLATES[name])
    return {key: value for key, value in LONGEST.items() if f"%({key})s" in text}


@pytest.mark.parametrize("language", ["my", "en"])
@pytest.mark.parametrize("name", sorted(replies.TEMPLATES))
def test_every_template_fits_two_parts(name: str, language: str) -> None:
    follow_up = date(2026, 12, 31) if name in replies.WITH_FOLLOW_UP else None
    text = replies.render(name, language, follow_up=follow_up, **_values(name))
    assert "%(" not in text
    assert measure(text).segments <= 2, (len(text), text)


def test_english_texts_without_burmese_values_are_plain_gsm() -> None:
    # Given Latin values, every English reply is GSM 7-bit (the cheap, 160-character kind)
    latin = {"sitting": "Matriculation exam 2026 second sitting", "school": "Spring Online"}
    for name in replies.TEMPLATES:
        values = {k: latin.get(k, v) for k, v in _values(name).items()}
        assert measure(replies.render(name, "en", **values)).encoding == "gsm7", name


def test_long_names_are_cut_without_leaving_a_dangling_mark() -> None:
    text = replies.render("admission_pending", "en", school=LONGEST["school"])
    shown = text.removeprefix("Admission: ").split(" has not")[0]
    assert shown == "ရွှေပြည်သာ အခြေခံပညာ အထက်..." and len(shown) == replies.NAME_CHARS
    # A cut that would fall inside a syllable moves back to its start: "တန်း" is not split
    assert replies._cut(LONGEST["school"], 30) == "ရွှေပြည်သာ အခြေခံပညာ အထက်..."


def test_the_health_reply_notice_fits_two_parts_in_both_languages() -> None:
    # The notice the health service queues when a doctor replies (its own string)
    for language in ("my", "en"):
        with translation.override(language):
            notice = gettext(
                "Pyithu health: a doctor replied. Open the service and enter your code."
            )
        assert measure(notice).segments <= 2
