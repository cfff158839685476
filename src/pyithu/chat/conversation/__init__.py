"""The bot's conversations, independent of Telegram: an incoming text becomes one reply.

Each step only parses what the person typed and calls the service function the web uses
(health booking and screening, education look-ups); the step reached and the answers so far
live, sealed, on the person's chat record until the conversation ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import translation

from pyithu.chat import config, services
from pyithu.chat.conversation import booking, lookups, start, texts
from pyithu.chat.conversation.base import Incoming, Reply, Turn, menu
from pyithu.core.text import normalise_text

__all__ = ["Incoming", "Reply", "handle"]

log = logging.getLogger("pyithu.chat")

# Telegram's own limit for one message.
MAX_TEXT = 4096

Start = Callable[[Turn, str], Reply]
COMMANDS: dict[str, Start] = {
    "/start": start.ask_language,
    "/language": start.ask_language,
    "/help": lambda turn, _arg: menu(texts.mirrors()),
    "/mirrors": lambda turn, _arg: menu(texts.mirrors() or texts.no_mirrors()),
    "/menu": lambda turn, _arg: menu(),
    "/cancel": start.cancel,
    "/forget": start.ask_forget,
    "/book": booking.begin,
    "/check": lookups.begin_check,
    "/search": lookups.begin_search,
    "/admission": lookups.begin_admission,
    "/result": lookups.begin_result,
}
STEPS: dict[str, Callable[[Turn], Reply]] = {
    **start.STEPS,
    **booking.STEPS,
    **lookups.STEPS,
}


def handle(incoming: Incoming, now: datetime | None = None) -> Reply | None:
    """The bot's answer to one message, or None when it should stay silent (flooding)."""
    if not incoming.private:
        # Groups are watched by everyone in them: the bot only points to a private chat.
        return Reply(texts.PRIVATE_ONLY) if (incoming.text or "").startswith("/") else None
    chat, verdict = services.admit(incoming.user_id, config.telegram().rate_per_minute, now)
    with translation.override(chat.language or "my"):
        if verdict == services.QUIET:
            return None
        if verdict == services.WARN:
            return Reply(texts.too_fast())
        try:
            with transaction.atomic():
                return _respond(Turn(chat, incoming.chat_id, "", {}), incoming.text, now)
        except Exception as exc:  # never a stack trace in a chat
            log.error("telegram: a turn failed (%s)", type(exc).__name__)
            return Reply(texts.trouble())


def _command(text: str) -> tuple[str, str]:
    """``/book@PyithuBot words`` → (``/book``, ``words``); ("", "") for plain text."""
    if not text.startswith("/"):
        return "", ""
    head, _sep, arg = text.partition(" ")
    return head.split("@", 1)[0].lower(), arg.strip()


def _respond(turn: Turn, raw: str | None, now: datetime | None) -> Reply:
    if raw is None:
        return Reply(texts.text_only())
    text = normalise_text(raw, language="my", multiline=True)
    if len(text) > MAX_TEXT:
        return Reply(texts.too_long(MAX_TEXT))
    step, data = services.current_step(turn.chat, now)
    turn.text, turn.data = text, data
    command, arg = _command(text)
    if not command and text.casefold() == texts.cancel().casefold():
        command = "/cancel"
    if not command and step not in start.STEPS:
        command = texts.menu_buttons().get(text, "")
    if command:
        if command not in COMMANDS:
            return menu(texts.unknown_command())
        if step:
            services.finish(turn.chat)
        if not turn.chat.language and command != "/start":
            return start.ask_language(turn, "")
        return COMMANDS[command](turn, arg)
    if not turn.chat.language and step != "language":
        return start.ask_language(turn, "")
    if step in STEPS:
        return STEPS[step](turn)
    return menu()
