"""The outbox transport "telegram": a doctor's reply notice reaches the chat that booked.

The outbox address is the booking link's token, never a chat id; the chat id is looked up
(sealed) at sending time, so "forget me" stops every notice still queued. Any failure
(Telegram down, a 429, a blocked bot, a forgotten chat) raises: the outbox retries with backoff
and finally marks the message failed, never losing it silently.
"""

from __future__ import annotations

import asyncio

from django.utils import translation
from django.utils.translation import gettext as _

from pyithu.chat import services
from pyithu.chat.bot import new_bot


async def _send(chat_id: str, text: str) -> None:
    async with new_bot() as bot:
        await bot.send_message(int(chat_id), text)


def send(address: str, body: str) -> None:
    target = services.delivery_target(address)
    with translation.override(target.language):
        how_to_read = _("To read it here: /check, then your code.")
        text = f"{body}\n{how_to_read}"
    asyncio.run(_send(target.chat_id, text))
