"""The one text normaliser every input on the platform passes through, and word search on top.

People type into Pyithu from phones with a Zawgyi font, from Unicode keyboards, from copy and
paste out of chat apps and from scripts (Shan, Mon, S'gaw Karen) that share the Myanmar block.
If each form cleaned text its own way, the same name would be stored in several byte forms and
search, de-duplication and length limits would all quietly disagree. So web forms and the JSON
API both call :func:`normalise_text`, and the search column is built by :func:`search_key`.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata

import icu
from django.db.models import Q
from myanmartools import ZawgyiDetector

__all__ = [
    "ZAWGYI_THRESHOLD",
    "TextTooLong",
    "matches",
    "normalise_text",
    "search_filter",
    "search_key",
    "search_terms",
    "segment_words",
    "tidy_text",
    "zawgyi_probability",
    "zawgyi_to_unicode",
]

# Real Zawgyi scores ~1.0 and real Unicode ~0.0; only near-certain Zawgyi is converted, because
# converting Unicode text by mistake damages it.
ZAWGYI_THRESHOLD = 0.95

# Used only if the setting is missing: converting these scripts would destroy them.
_DEFAULT_NO_ZAWGYI_LANGUAGES = ("ksw", "shn", "mnw")

# Every way of ending a line becomes "\n", so a CRLF from a browser textarea counts as one
# character, the same as the user saw. Vertical tab, form feed, NEL and the Unicode line and
# paragraph separators are line ends too: dropping them would glue two words together.
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0/C1 controls and DEL (tab and newline are dealt with separately), the zero-width space and
# byte-order mark that Zawgyi-era keyboards scatter through Burmese, and lone surrogates (valid
# JSON can carry them; no database can store them). U+200C/U+200D are kept: some scripts need
# them.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\ufeff\ud800-\udfff]")
_WHITESPACE_RUN = re.compile(r"\s+")
_MYANMAR = re.compile("[\u1000-\u109f]")
# Tidying only removes characters and a CRLF counts as one, so a text more than twice its limit
# long can never fit: it is refused before any work is done on it.
_SLACK = 16


class TextTooLong(ValueError):
    """The input is so far over ``limit`` that normalising it would only waste time."""

    def __init__(self, limit: int, length: int) -> None:
        super().__init__(f"text of {length} characters for a limit of {limit}")
        self.limit, self.length = limit, length


def tidy_text(value: str, *, multiline: bool = False) -> str:
    """Everything :func:`normalise_text` does except Zawgyi conversion."""
    return _tidy(value, multiline=multiline)


def normalise_text(
    value: str,
    *,
    language: str | None = None,
    multiline: bool = False,
    max_length: int | None = None,
) -> str:
    """Return ``value`` in the single form Pyithu stores and compares.

    NFC, no control or invisible characters, ``\\n`` line ends (multiline) or one line with
    single spaces, trimmed, and Zawgyi converted to Unicode unless ``language`` (default: the
    active UI language) writes a script that shares the Myanmar block. Idempotent, so saving a
    stored value again never changes it. Length is not checked: callers measure the result, so
    limits count what is stored. Given ``max_length``, a text that cannot possibly fit is refused
    with :class:`TextTooLong` before any work (Zawgyi scoring and conversion cost time).
    """
    if max_length is not None and len(value) > 2 * max_length + _SLACK:
        raise TextTooLong(max_length, len(value))
    text = _tidy(value, multiline=multiline)
    if (
        _MYANMAR.search(text)
        and _may_be_zawgyi(language)
        and zawgyi_probability(text) > ZAWGYI_THRESHOLD
    ):
        # The converter's output is not guaranteed tidy; tidy it so the result is final.
        converted = _tidy(zawgyi_to_unicode(text), multiline=multiline)
        # Real Zawgyi converts to Unicode that scores near 0. If the result still looks like
        # Zawgyi, the input was not convertible (stray marks, garbage) and converting would
        # only scramble it again on every save; keep what was typed. This also makes
        # normalise_text idempotent: its output is never converted a second time.
        if zawgyi_probability(converted) <= ZAWGYI_THRESHOLD:
            text = converted
    return text


def zawgyi_probability(text: str) -> float:
    """Probability (0..1) that Myanmar-script ``text`` is Zawgyi-encoded; -inf if it has none."""
    return _detector().get_zawgyi_probability(text)


def zawgyi_to_unicode(text: str) -> str:
    """Convert Zawgyi-encoded ``text`` to standard Unicode Burmese, in NFC.

    Only for text known to be Zawgyi: applied to Unicode (or to Shan, Mon or Karen) it
    rearranges letters into nonsense.
    """
    transliterator = _zawgyi_transliterator()
    with _TRANSLITERATOR_LOCK:
        converted = transliterator.transliterate(text)
    return unicodedata.normalize("NFC", converted)


def segment_words(text: str, language: str = "my") -> list[str]:
    """Split ``text`` into words with ICU, dropping spaces and punctuation.

    Burmese is written without spaces between words, so splitting on spaces cannot find them;
    ICU's dictionary-based word breaker can.
    """
    # A break iterator holds per-text state and is not thread-safe. PyICU offers no clone(),
    # and ICU caches the rules and dictionaries itself, so a fresh iterator costs microseconds.
    breaker = icu.BreakIterator.createWordInstance(icu.Locale(language))
    # ICU boundaries are UTF-16 offsets; slicing the UnicodeString keeps them right even when
    # the text holds characters outside the BMP (emoji).
    ustring = icu.UnicodeString(text)
    breaker.setText(ustring)
    words: list[str] = []
    start = breaker.first()
    for end in breaker:
        token = str(ustring[start:end])
        start = end
        if any(unicodedata.category(char)[0] in "LN" for char in token):
            words.append(token)
    return words


def search_key(text: str) -> str:
    """The value stored in a ``search_text`` column: ``" word1 word2 "``, or ``""`` if none.

    Words are normalised, case-folded and separated by single spaces, with a space at each end
    so a database ``contains " term"`` matches only at the start of a word.
    """
    words = _search_words(text)
    return f" {' '.join(words)} " if words else ""


def search_terms(query: str) -> list[str]:
    """The words of a search query, normalised and segmented exactly like :func:`search_key`."""
    return list(dict.fromkeys(_search_words(query)))


def matches(query: str, text: str) -> bool:
    """Whether every query term starts a word of ``text`` (Python twin of search_filter)."""
    key = search_key(text)
    return all(f" {term}" in key for term in search_terms(query))


def search_filter(field: str, query: str) -> Q:
    """A ``Q`` requiring each query term to start a word of the ``search_key`` in ``field``.

    An empty query gives ``Q()``, which filters nothing out.
    """
    condition = Q()
    for term in search_terms(query):
        condition &= Q(**{f"{field}__contains": f" {term}"})
    return condition


def _tidy(value: str, *, multiline: bool) -> str:
    """Everything except Zawgyi conversion: line ends, invisibles, whitespace, then NFC.

    NFC comes last because removing a control character can bring a letter and its accent
    together, which NFC must then compose.
    """
    text = _INVISIBLE.sub("", _LINE_BREAK.sub("\n", value))
    if not multiline:
        text = _WHITESPACE_RUN.sub(" ", text)
    return unicodedata.normalize("NFC", text.strip())


def _may_be_zawgyi(language: str | None) -> bool:
    """False for languages whose script shares the Myanmar block but is never Zawgyi."""
    from django.conf import settings
    from django.utils import translation

    if language is None:
        language = translation.get_language() or "my"
    primary = language.replace("_", "-").split("-", 1)[0].lower()
    excluded = getattr(settings, "PYITHU_NO_ZAWGYI_LANGUAGES", _DEFAULT_NO_ZAWGYI_LANGUAGES)
    return primary not in excluded


def _search_words(text: str) -> list[str]:
    folded = normalise_text(text, language="my", multiline=True).casefold()
    # Case folding can leave text that is not NFC (e.g. "İ" folds to "i" plus a combining dot).
    return segment_words(unicodedata.normalize("NFC", folded), "my")


@functools.cache
def _detector() -> ZawgyiDetector:
    # Loading the model takes milliseconds; scoring is read-only, so one instance is shared.
    return ZawgyiDetector()


@functools.cache
def _zawgyi_transliterator() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Zawgyi-my")


# One transliterator is shared by all threads; serialise its use rather than rely on ICU's
# internal locking of rule-based transliterators.
_TRANSLITERATOR_LOCK = threading.Lock()
