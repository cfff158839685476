"""/hotline: what to do now, the numbers, the wait, and a call-back request.

The number or Telegram name the person sends is the only thing kept (sealed by the hotline
service, erased when the counsellor closes the request); the chat's own id is never used as a
contact, so nothing links the request to this chat."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from pyithu.channels import lookups
from pyithu.chat.conversation.base import Reply, Turn, free_text, menu
from pyithu.health.errors import HealthError
from pyithu.health.models import HotlinePriority
from pyithu.health.services import hotline

_PHONE = re.compile(r"\+?[0-9][0-9 \-]{4,19}")
_HANDLE = re.compile(r"@[A-Za-z0-9_]{4,32}")
_BURMESE_DIGITS = str.maketrans("၀၁၂၃၄၅၆၇၈၉", "0123456789")


def _numbers() -> str:
    lines = [f"{n.display_label()}: {n.number}" for n in hotline.numbers()]
    return "\n".join(lines) or _("No number is set yet. Ask for a call back below.")


def begin(turn: Turn, _arg: str) -> Reply:
    turn.go("hotline.contact")
    text = "\n".join(
        [
            _("If you might hurt yourself now, call a number below or go to the nearest hospital."),
            _("Do not stay alone: be with someone you trust, or tell them how you feel."),
            "",
            _numbers(),
            "",
            hotline.wait_text(hotline.queue_wait(HotlinePriority.TODAY)),
            _("Send your phone number or Telegram name (@name) and a counsellor will call you."),
        ]
    )
    return free_text(text)


def _contact(turn: Turn) -> Reply:
    typed = turn.text.strip().translate(_BURMESE_DIGITS)
    if _HANDLE.fullmatch(typed):
        channel = "telegram"
    elif _PHONE.fullmatch(typed):
        channel = "phone"
    else:
        return free_text(_("Send a phone number like 09 123 456 789, or a name like @name."))
    turn.done()
    try:
        _number, minutes = lookups.hotline_callback(
            channel, typed, "telegram", turn.chat.language or "my"
        )
    except HealthError as exc:
        return menu(str(exc.message))
    wait = hotline.wait_text(hotline.Wait(0, 1 if minutes else 0, minutes, None))
    return menu(f"{_('A counsellor will call you back.')} {wait}\n")


STEPS = {"hotline.contact": _contact}
