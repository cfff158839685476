"""Every UI string has its Burmese translation, including Django's own validation messages."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import polib
import pytest
from django import forms
from django.conf import settings
from django.utils import translation

SRC = Path(settings.BASE_DIR)
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}
TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")


def _catalogue(language: str) -> dict[str, polib.POEntry]:
    entries: dict[str, polib.POEntry] = {}
    for locale_dir in settings.LOCALE_PATHS:
        po_path = Path(locale_dir) / language / "LC_MESSAGES" / "django.po"
        if po_path.exists():
            entries.update({e.msgid: e for e in polib.pofile(str(po_path)) if not e.obsolete})
    return entries


def _source_strings() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_NAMES
                and node.args
                and isinstance(node.args[-1 if node.func.id.startswith("p") else 0], ast.Constant)
            ):
                found.add(node.args[-1 if node.func.id.startswith("p") else 0].value)
    for path in SRC.rglob("templates/**/*.html"):
        # The {% translate %} tag looks its text up with "%" doubled (as makemessages writes it).
        text = path.read_text(encoding="utf-8")
        found.update(m.group(2).replace("%", "%%") for m in TEMPLATE_STRING.finditer(text))
    return found


def test_every_source_string_is_in_the_burmese_catalogue() -> None:
    catalogue = _catalogue("my")
    missing = sorted(s for s in _source_strings() if s not in catalogue)
    assert missing == [], "run makemessages -l my and translate: " + repr(missing[:10])


def test_the_burmese_catalogue_is_completely_translated() -> None:
    untranslated = [e.msgid for e in _catalogue("my").values() if not e.translated()]
    assert untranslated == []


@pytest.mark.parametrize("language", ["ksw", "shn", "mnw", "cnh", "kac"])
def test_ethnic_languages_are_declared_and_have_a_catalogue(language: str) -> None:
    assert language in dict(settings.LANGUAGES)
    assert translation.check_for_language(language)
    assert translation.get_language_info(language)["name_local"]


def test_djangos_own_validation_messages_speak_burmese(db: Any) -> None:
    class Form(forms.Form):
        name = forms.CharField(max_length=5)

    with translation.override("my"):
        empty = Form({}).errors["name"][0]
        long = Form({"name": "abcdefgh"}).errors["name"][0]
    assert empty != "This field is required." and re.search("[\u1000-\u109f]", empty)
    assert "5" in long or "၅" in long
    assert re.search("[\u1000-\u109f]", long)
