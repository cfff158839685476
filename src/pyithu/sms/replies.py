"""Every text the SMS service sends, written to fit one or two parts.

Burmese travels as UCS-2: 70 characters in one part, 134 in two. Each template is short, every
variable part is cut to a fixed length (``_cut``), and ``tests/sms/test_replies.py`` renders every
template in Burmese and English with the longest values allowed and checks it fits two parts.
Translators: keep the Burmese as short as the English; the test will tell.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from django.utils import translation
from django.utils.translation import gettext_lazy

# Longest shown length of each free-text value (sitting titles, school names).
NAME_CHARS = 28
# Longest shown hotline number.
PHONE_CHARS = 20

HELP = gettext_lazy(
    "Send STATUS and your booking code for a consultation, or RESULT and your code for an exam "
    "result or an application. Example: RESULT ABCD-EFGH-JKMN-PQRS"
)
UNKNOWN = gettext_lazy("We did not understand. Send HELP for the commands.")
MISSING_CODE = gettext_lazy("Send %(command)s, a space and your code, e.g. %(command)s ABCD-EFGH")
NOT_FOUND = gettext_lazy("Nothing matches this code. Check it letter by letter and send it again.")
SLOW_DOWN = gettext_lazy("Too many messages. Wait %(minutes)s minutes, then send again.")

STATUS_WAITING = gettext_lazy(
    "Health: your consultation is waiting for a doctor. Send STATUS and your code again later."
)
STATUS_OPEN = gettext_lazy(
    "Health: a doctor has your consultation. Doctor replies: %(replies)s. Read them on the web "
    "with your code."
)
STATUS_CLOSED = gettext_lazy(
    "Health: your consultation is closed. Doctor replies: %(replies)s. Read them on the web with "
    "your code."
)
FOLLOW_UP = gettext_lazy("Follow-up: %(date)s.")
DOCTOR_REPLIED = gettext_lazy(
    "Health: a doctor replied. Send STATUS and your code, or read it on the web with your code."
)
FOLLOW_UP_REMINDER = gettext_lazy(
    "Health: your follow-up is on %(date)s. Send STATUS and your code for news."
)
HOTLINE_QUEUED = gettext_lazy(
    "Hotline: a counsellor will call this number in about %(minutes)s minutes. "
    "In danger now? Call %(phone)s."
)
HOTLINE_NO_ONE = gettext_lazy(
    "Hotline: a counsellor will call this number when one is on duty. In danger now? "
    "Call %(phone)s."
)

SLOTS = gettext_lazy(
    "Health: free times, day hour minute, Myanmar time: %(times)s. To take one send TAKE, "
    "your code and the time."
)
SLOTS_NONE = gettext_lazy("Health: no free times in the next two weeks. Try again later.")
TAKE_HOW = gettext_lazy("Send TAKE, your code and a time from SLOTS, e.g. TAKE ABCD-EFGH 051430")
TAKE_GONE = gettext_lazy(
    "Health: that time is not free any more. Nothing was changed. Send SLOTS and your code."
)
TAKE_DONE = gettext_lazy("Health: your time is %(when)s Myanmar time. Keep your code.")
STOPPED = gettext_lazy("Health: no more messages will be sent. Your number is deleted.")

RESULT_PASSED = gettext_lazy(
    "Exam: %(sitting)s, candidate %(number)s: %(score)s of %(total)s marks. Passed."
)
RESULT_NOT_PASSED = gettext_lazy(
    "Exam: %(sitting)s, candidate %(number)s: %(score)s of %(total)s marks. Not passed."
)
NOT_RELEASED = gettext_lazy("Exam: the results are not released yet. Try again later.")
ADMISSION_PENDING = gettext_lazy("Admission: %(school)s has not decided yet. Check again later.")
ADMISSION_ADMITTED = gettext_lazy("Admission: %(school)s admitted you on %(date)s.")
ADMISSION_REFUSED = gettext_lazy("Admission: %(school)s did not admit you (%(date)s).")

# Every template, for the length test and the operators' documentation.
TEMPLATES = {
    "help": HELP,
    "unknown": UNKNOWN,
    "missing_code": MISSING_CODE,
    "not_found": NOT_FOUND,
    "slow_down": SLOW_DOWN,
    "status_waiting": STATUS_WAITING,
    "status_open": STATUS_OPEN,
    "status_closed": STATUS_CLOSED,
    "doctor_replied": DOCTOR_REPLIED,
    "follow_up_reminder": FOLLOW_UP_REMINDER,
    "hotline_queued": HOTLINE_QUEUED,
    "hotline_no_one": HOTLINE_NO_ONE,
    "slots": SLOTS,
    "slots_none": SLOTS_NONE,
    "take_how": TAKE_HOW,
    "take_gone": TAKE_GONE,
    "take_done": TAKE_DONE,
    "stopped": STOPPED,
    "result_passed": RESULT_PASSED,
    "result_not_passed": RESULT_NOT_PASSED,
    "not_released": NOT_RELEASED,
    "admission_pending": ADMISSION_PENDING,
    "admission_admitted": ADMISSION_ADMITTED,
    "admission_refused": ADMISSION_REFUSED,
}
# Templates a STATUS reply may end with the follow-up sentence.
WITH_FOLLOW_UP = frozenset({"status_open", "status_closed"})


def _cut(value: str, limit: int = NAME_CHARS) -> str:
    """At most ``limit`` characters, cut between letters, never inside a Burmese syllable's
    cluster (a vowel sign or asat is not separated from its consonant)."""
    value = " ".join(str(value).split())
    if len(value) <= limit:
        return value
    cut = limit - 3
    while (
        cut > 0
        and (
            unicodedata.category(value[cut]).startswith("M")  # a sign of the letter before
            or value[cut - 1] == "\u1039"  # a stacked consonant
            or value[cut + 1 : cut + 2] in ("\u103a", "\u1039")  # a killed final consonant
        )
    ):
        cut -= 1
    return value[:cut].rstrip() + "..."


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def render(name: str, language: str, *, follow_up: date | None = None, **values: object) -> str:
    """One reply in ``language``: template ``name`` with its values cut to their budget."""
    cleaned = {
        key: _cut(str(value), PHONE_CHARS if key == "phone" else NAME_CHARS)
        if key in {"sitting", "school", "phone"}
        else str(value)
        for key, value in values.items()
    }
    with translation.override(language):
        text = str(TEMPLATES[name]) % cleaned if cleaned else str(TEMPLATES[name])
        if follow_up is not None and name in WITH_FOLLOW_UP:
            text = f"{text} {str(FOLLOW_UP) % {'date': day(follow_up)}}"
    return text
