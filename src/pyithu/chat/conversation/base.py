"""What every conversation step works with: the turn in, the reply out, choosing an option."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyithu.chat import services
from pyithu.chat.conversation import texts
from pyithu.chat.models import Chat


@dataclass(frozen=True)
class Incoming:
    """One message from Telegram, reduced to what the bot needs. ``text`` is None for a photo,
    a sticker or anything else that is not text."""

    user_id: int
    chat_id: int
    private: bool
    text: str | None


@dataclass(frozen=True)
class Reply:
    """One message back. ``options`` become reply-keyboard buttons; none removes the keyboard."""

    text: str
    options: tuple[str, ...] = ()


@dataclass
class Turn:
    chat: Chat
    chat_id: int
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    def go(self, step: str, **data: Any) -> None:
        """Move to ``step``, keeping the answers so far plus ``data``."""
        self.data.update(data)
        services.begin(self.chat, step, self.data)

    def done(self) -> None:
        services.finish(self.chat)


def choose(text: str, labels: list[str]) -> int | None:
    """The option the person picked: its button text, or its number (Burmese digits too)."""
    typed = text.strip().rstrip(".").casefold()
    if typed.isdecimal():
        index = int(typed) - 1
        return index if 0 <= index < len(labels) else None
    for index, label in enumerate(labels):
        if label.casefold() == typed:
            return index
    return None


def numbered(labels: list[str]) -> str:
    return "\n".join(f"{n}. {label}" for n, label in enumerate(labels, start=1))


def menu(first: str = "") -> Reply:
    lines = [first] if first else []
    return Reply("\n".join([*lines, *texts.menu_lines()]), tuple(texts.menu_buttons()))


def ask_again(prompt: Reply) -> Reply:
    """The same question after an answer that does not fit, with a short hint first."""
    return Reply(f"{texts.not_understood()}\n\n{prompt.text}", prompt.options)


def free_text(prompt: str) -> Reply:
    return Reply(prompt, (texts.cancel(),))
