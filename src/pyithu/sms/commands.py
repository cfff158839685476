"""Reading an inbound text: which command, which code, which language.

Commands are English words or their Burmese equivalents, in any case, at the start of the
text, with or without a space before the code (Burmese is often written without spaces).
Zawgyi is converted first; Burmese digits count as digits; spaces, dashes and punctuation in a
code are ignored (each service cleans its own code alphabet too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyithu.core.text import normalise_text

HELP = "help"
STATUS = "status"
RESULT = "result"
HOTLINE = "hotline"
SLOTS = "slots"
TAKE = "take"
STOP = "stop"
UNKNOWN = "unknown"
EMPTY = "empty"

# Command words, longest first when matched. Burmese: "state", "result"/"answer", "help".
WORDS: dict[str, tuple[str, ...]] = {
    STATUS: ("status", "အခြေအနေ"),
    RESULT: ("result", "results", "ရလဒ်", "အဖြေ"),
    HELP: ("help", "?", "အကူအညီ", "ကူညီပါ", "ကူညီ"),
    # "hotline", "call me back" (the person asks a counsellor to call this number).
    HOTLINE: ("hotline", "callback", "ဟော့လိုင်း", "ပြန်ခေါ်ပါ"),
    # Appointments: "times", "take", "stop".
    SLOTS: ("slots", "times", "အချိန်"),
    TAKE: ("take", "ယူမည်"),
    STOP: ("stop", "ရပ်"),
}
# The English word to show back when a code is missing (people copy what they are shown).
SHOWN = {STATUS: "STATUS", RESULT: "RESULT", SLOTS: "SLOTS", TAKE: "TAKE", STOP: "STOP"}

_MYANMAR = re.compile("[\u1000-\u109f]")
_BURMESE_DIGITS = str.maketrans("၀၁၂၃၄၅၆၇၈၉", "0123456789")
_MAX_TEXT = 480  # three parts of Latin text; anything longer is not a command


@dataclass(frozen=True)
class Parsed:
    command: str
    code: str
    language: str


def language_of(text: str) -> str:
    """Burmese if the text has any Myanmar letter, otherwise English."""
    return "my" if _MYANMAR.search(text) else "en"


def _matches() -> list[tuple[str, str]]:
    pairs = [(word.casefold(), command) for command, words in WORDS.items() for word in words]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _code(rest: str) -> str:
    return "".join(ch for ch in rest.translate(_BURMESE_DIGITS) if ch.isascii() and ch.isalnum())


def parse(raw: str, *, default_language: str = "my") -> Parsed:
    text = normalise_text((raw or "")[:_MAX_TEXT], language="my")
    if not text:
        return Parsed(EMPTY, "", default_language)
    language = language_of(text)
    folded = text.casefold()
    for word, command in _matches():
        if not folded.startswith(word):
            continue
        rest = text[len(word) :]
        # An English word must end there ("STATUSabc" is fine, "STATUSES" is not a command).
        if word.isascii() and word.isalpha() and rest[:1].isalpha() and len(_code(rest)) < 8:
            continue
        return Parsed(command, _code(rest) if command not in (HELP, HOTLINE) else "", language)
    return Parsed(UNKNOWN, "", language)
