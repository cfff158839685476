"""Every sentence the bot says, short enough for a phone screen. Translated like the web."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pyithu.chat import config
from pyithu.core.mirrors import short_form as current_short_form

# Shown before anyone has chosen a language: both, so everyone can answer.
CHOOSE_LANGUAGE = "ဘာသာစကား ရွေးပါ။ Choose your language."
LANGUAGE_BUTTONS = {"မြန်မာ": "my", "English": "en"}
PRIVATE_ONLY = "ကျွန်ုပ်ကို တိုက်ရိုက် စကားပြောခန်းတွင် ရေးပါ။ Please write to me in a private chat."


def privacy() -> str:
    conf = config.telegram()
    lines = [
        _(
            "Chats can be watched: Telegram keeps a copy, and anyone with your phone can read "
            "them. Do not write your name."
        )
    ]
    if conf.public_url:
        lines.append(_("More private: the website %(url)s") % {"url": conf.public_url})
    if conf.sms_number:
        lines.append(_("Or by SMS: send HELP to %(number)s") % {"number": conf.sms_number})
    return "\n".join(lines)


def menu_lines() -> list[str]:
    return [
        _("What would you like to do?"),
        _("/book: see a doctor online"),
        _("/check: your booking, the doctor's replies"),
        _("/search: health questions and answers"),
        _("/admission: admission status by code"),
        _("/result: exam result by code"),
        _("/language · /forget · /cancel"),
    ]


def menu_buttons() -> dict[str, str]:
    """Button label → command, in the active language."""
    return {
        _("Book a doctor"): "/book",
        _("My booking"): "/check",
        _("Health answers"): "/search",
        _("Admission"): "/admission",
        _("Exam result"): "/result",
    }


def cancel() -> str:
    return _("Cancel")


def unknown_command() -> str:
    return _("I do not know that command.")


def not_understood() -> str:
    return _("Please choose one of the buttons, or send its number.")


def text_only() -> str:
    return _("I can read only text messages.")


def too_long(limit: int) -> str:
    return _("That is too long. Please keep it under %(n)d characters.") % {"n": limit}


def too_fast() -> str:
    return _("You are sending messages too fast. Wait a minute, then try again.")


def trouble() -> str:
    return _("Something went wrong on our side. Please try again later.")


def cancelled() -> str:
    return _("Stopped. Nothing was kept.")


def mirrors() -> str:
    """The hub's other addresses (decision 0027), or "" when none is published."""
    short = current_short_form()
    if not short:
        return ""
    return _("If the site is blocked, try: %(addresses)s") % {
        "addresses": short.removeprefix("Pyithu: ")
    }


def no_mirrors() -> str:
    return _("No other address has been published yet.")
