from typing import Any

import pytest
from django.utils import translation

from pyithu.core.i18n import content_language
from pyithu.portal.models import Ministry


@pytest.mark.parametrize(
    ("ui_language", "expected"),
    [
        ("my", "my"),
        ("ksw", "my"),
        ("shn", "my"),
        ("mnw", "my"),
        ("en", "en"),
        ("en-us", "en"),
        ("cnh", "en"),
        ("kac", "en"),
    ],
)
def test_content_language_follows_the_script(ui_language: str, expected: str) -> None:
    # given a UI language
    # when the content language is chosen for it
    # then Myanmar-script languages read Burmese and Latin-script ones English
    assert content_language(ui_language) == expected


def test_localized_uses_the_active_language(db: Any) -> None:
    # given the Ministry of Health
    health = Ministry.objects.get(slug="health")
    # when its name is read under the Shan and the Jinghpaw UI
    with translation.override("shn"):
        shan = health.name
    with translation.override("kac"):
        jinghpaw = health.name
    # then the Shan reader gets Burmese and the Jinghpaw reader English
    assert shan == "ကျန်းမာရေးဝန်ကြီးဌာန"
    assert jinghpaw == "Ministry of Health"


def test_localized_falls_back_to_the_other_language() -> None:
    # given a ministry named only in English
    ministry = Ministry(slug="new", name_en="Ministry of Tea", name_my="")
    # when a Burmese reader reads its name
    # then they get the English name rather than nothing
    assert ministry.localized("name", "my") == "Ministry of Tea"
