"""Which language a piece of bilingual content (``<field>_en`` / ``<field>_my``) is shown in.

Reference data is kept in English and Burmese. Readers of Latin-script languages (English,
Hakha Chin, Jinghpaw) get the English; readers of Myanmar-script languages (Burmese, S'gaw
Karen, Shan, Mon) get the Burmese, until their own content exists.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

LATIN_SCRIPT_LANGUAGES = frozenset({"en", "cnh", "kac"})
CONTENT_LANGUAGES = ("en", "my")


def content_language(language: str | None = None) -> str:
    """ "en" or "my" for a UI language code such as "shn" or "en-us" (default: the active one)."""
    code = (language or get_language() or "my").replace("_", "-").lower().split("-")[0]
    return "en" if code in LATIN_SCRIPT_LANGUAGES else "my"


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>_<lang>`` in the reader's content language, else in the other one."""
    first = content_language(language)
    second = "my" if first == "en" else "en"
    return str(getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}"))
