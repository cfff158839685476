"""python-telegram-bot glue: Telegram updates in, conversation replies out, by long polling
(a laptop with no public address) or by webhook (a server). No decisions are made here."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connections
from telegram import Bot, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import Application, ContextTypes, TypeHandler

from pyithu.chat import config, services
from pyithu.chat.conversation import Incoming, Reply, handle
from pyithu.outbox.services import deliver_due

log = logging.getLogger("pyithu.chat")

WEBHOOK_PATH = "/chat/telegram/{secret}/"


class NotConfigured(Exception):
    """No bot token (or, for a webhook, no secret) is set."""


def incoming(update: Update) -> Incoming | None:
    """The message the bot should answer, or None (edits, channel posts, service updates)."""
    message = update.message
    if message is None or message.from_user is None:
        return None
    return Incoming(
        user_id=message.from_user.id,
        chat_id=message.chat.id,
        private=message.chat.type == "private",
        text=message.text,
    )


def markup(reply: Reply) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    if not reply.options:
        return ReplyKeyboardRemove()
    rows = [[option] for option in reply.options]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)


def send_message_call(chat_id: int, reply: Reply) -> dict[str, Any]:
    """A reply as a Bot API call a webhook response may carry (no second connection needed)."""
    return {
        "method": "sendMessage",
        "chat_id": chat_id,
        "text": reply.text,
        "reply_markup": markup(reply).to_dict(),
    }


def _configured() -> config.TelegramConfig:
    conf = config.telegram()
    if not conf.token:
        raise NotConfigured("set PYITHU_TELEGRAM_TOKEN")
    return conf


def new_bot() -> Bot:
    conf = _configured()
    return Bot(conf.token, base_url=conf.base_url)


# --- long polling ----------------------------------------------------------------------------


def _turn(message: Incoming) -> Reply | None:
    close_old_connections()  # a long-running process outlives database connections
    return handle(message)


async def _on_update(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not isinstance(update, Update):
        return
    message = incoming(update)
    if message is None:
        return
    reply = await sync_to_async(_turn)(message)
    if reply is not None:
        await context.bot.send_message(message.chat_id, reply.text, reply_markup=markup(reply))


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The class only: an exception's text may quote what someone wrote.
    log.warning("telegram: %s", type(context.error).__name__)


def build_application() -> Application:
    conf = _configured()
    app = Application.builder().token(conf.token).base_url(conf.base_url).build()
    app.add_handler(TypeHandler(Update, _on_update))
    app.add_error_handler(_on_error)
    return app


def _background() -> None:
    close_old_connections()
    deliver_due()
    services.prune()


async def poll(stop: threading.Event, *, outbox_every: float = 5.0, poll_timeout: int = 10) -> None:
    """Answer messages until ``stop`` is set; every ``outbox_every`` seconds (0: never) also
    deliver due outbox messages, so one process serves a laptop."""
    app = build_application()
    loop = asyncio.get_running_loop()
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=poll_timeout, allowed_updates=["message"])
        last = 0.0
        try:
            while not stop.is_set():
                if outbox_every and loop.time() - last >= outbox_every:
                    last = loop.time()
                    try:
                        await sync_to_async(_background)()
                    except Exception as exc:  # the bot keeps answering; the outbox retries
                        log.warning("telegram: background round failed (%s)", type(exc).__name__)
                await asyncio.sleep(0.1)
        finally:
            await app.updater.stop()
            await app.stop()
            # The database connection opened in the worker thread goes with the bot.
            await sync_to_async(connections.close_all)()


# --- webhook ---------------------------------------------------------------------------------


async def _set_webhook(public_url: str) -> str:
    conf = _configured()
    if not conf.webhook_secret:
        raise NotConfigured("set PYITHU_TELEGRAM_WEBHOOK_SECRET")
    url = public_url.rstrip("/") + WEBHOOK_PATH.format(secret=conf.webhook_secret)
    async with new_bot() as bot:
        await bot.set_webhook(
            url=url, secret_token=conf.webhook_secret, allowed_updates=["message"]
        )
    return url.replace(conf.webhook_secret, "…")


def set_webhook(public_url: str) -> str:
    """Register the webhook; returns the URL with the secret elided, for printing."""
    return asyncio.run(_set_webhook(public_url))


async def _delete_webhook() -> None:
    async with new_bot() as bot:
        await bot.delete_webhook()


def delete_webhook() -> None:
    asyncio.run(_delete_webhook())
