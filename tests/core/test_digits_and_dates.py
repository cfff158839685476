"""One rule for digits, and dates that read in Burmese."""

from __future__ import annotations

import datetime

from django.template import Context, Template
from django.utils import translation

from pyithu.core.digits import latin_digits, local_digits

COUNT = Template(
    "{% load i18n digits %}{% blocktranslate count counter=n|digits %}{{ counter }} township "
    "found.{% plural %}{{ counter }} townships found.{% endblocktranslate %}"
)


def test_counts_read_in_burmese_digits_in_burmese_and_latin_elsewhere() -> None:
    with translation.override("my"):
        assert COUNT.render(Context({"n": 12})) == "မြို့နယ် ၁၂ ခု တွေ့ပါသည်။"
        assert local_digits(2026) == 2026 and str(local_digits(2026)) == "၂၀၂၆"
        assert local_digits("<5") == "<၅"
    with translation.override("en"):
        assert COUNT.render(Context({"n": 1})) == "1 township found."
        assert COUNT.render(Context({"n": 12})) == "12 townships found."
    with translation.override("shn"):
        assert str(local_digits(7)) == "၇"


def test_codes_people_type_are_read_in_latin_digits() -> None:
    assert latin_digits("MMR၀၀၁၀၀၁") == "MMR001001"


def test_dates_read_in_burmese() -> None:
    day = datetime.date(2026, 12, 5)
    template = Template("{% load digits %}{{ day|date }} / {{ day|date|digits }}")
    with translation.override("my"):
        assert template.render(Context({"day": day})) == (
            "2026 ခုနှစ် ဒီဇင်ဘာလ 5 ရက် / ၂၀၂၆ ခုနှစ် ဒီဇင်ဘာလ ၅ ရက်"
        )
    with translation.override("en"):
        assert template.render(Context({"day": day})) == "Dec. 5, 2026 / Dec. 5, 2026"
