"""Someone typing to the bot, as the tests drive it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from pyithu.chat.conversation import Incoming, Reply, handle

MYA = 5550101  # Mya's Telegram user id (and private chat id)

# A booking code as the bot prints it (four groups of four), whatever label surrounds it.
BOOKING_CODE = re.compile(r"\b[a-z0-9]{4}(?:-[a-z0-9]{4}){3}\b")


@dataclass
class Person:
    """Someone typing to the bot; ``say`` returns the bot's reply (None: it stayed silent)."""

    user_id: int
    replies: list[Reply | None] = field(default_factory=list)

    def say(self, text: str | None, now: datetime | None = None, private: bool = True) -> Reply:
        reply = handle(Incoming(self.user_id, self.user_id, private, text), now)
        self.replies.append(reply)
        return reply  # type: ignore[return-value]

    def press(self, label_start: str) -> Reply:
        """Press the button of the last reply whose label starts with ``label_start``."""
        last = self.replies[-1]
        assert last is not None
        matching = [o for o in last.options if o.startswith(label_start)]
        assert matching, f"no button {label_start!r} in {last.options}"
        return self.say(matching[0])
