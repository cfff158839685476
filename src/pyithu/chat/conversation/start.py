"""Choosing a language (and hearing how private a chat is), stopping, and "forget me"."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from pyithu.chat import services
from pyithu.chat.conversation import texts
from pyithu.chat.conversation.base import Reply, Turn, choose, menu

LANGUAGE_WORDS = {"burmese": "my", "myanmar": "my", "my": "my", "en": "en", "english": "en"}


def ask_language(turn: Turn, _arg: str) -> Reply:
    turn.go("language")
    return Reply(texts.CHOOSE_LANGUAGE, tuple(texts.LANGUAGE_BUTTONS))


def _language(turn: Turn) -> Reply:
    labels = list(texts.LANGUAGE_BUTTONS)
    index = choose(turn.text, labels)
    language = (
        texts.LANGUAGE_BUTTONS[labels[index]]
        if index is not None
        else LANGUAGE_WORDS.get(turn.text.casefold())
    )
    if language is None:
        return Reply(texts.CHOOSE_LANGUAGE, tuple(labels))
    turn.done()
    services.set_language(turn.chat, language)
    translation.activate(language)
    return menu(texts.privacy() + "\n")


def cancel(turn: Turn, _arg: str) -> Reply:
    return menu(texts.cancelled())


def _forget_buttons() -> list[str]:
    return [_("Yes, forget me"), texts.cancel()]


def ask_forget(turn: Turn, _arg: str) -> Reply:
    turn.go("forget")
    return Reply(
        _(
            "Forget me deletes your language and every link between this chat and your "
            "bookings. The bookings stay: their codes still work on the web."
        ),
        tuple(_forget_buttons()),
    )


def _forget(turn: Turn) -> Reply:
    index = choose(turn.text, _forget_buttons())
    if index != 0:
        turn.done()
        return menu(texts.cancelled())
    services.forget(turn.chat)
    return Reply(
        _(
            "Done: this chat is no longer linked to anything. To remove the messages too, "
            "delete this chat in Telegram."
        )
    )


STEPS = {"language": _language, "forget": _forget}
