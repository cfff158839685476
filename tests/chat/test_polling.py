"""The whole path as a person meets it: `pyithu bot telegram` long-polls the fake Telegram,
Mya books in Burmese by pressing buttons, Dr Thida replies on the web service, the bot's
outbox round delivers the notice, and Mya reads the reply and answers. Also the webhook set-up.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from talk import BOOKING_CODE, MYA

from pyithu.accounts import services as accounts
from pyithu.accounts.models import Role
from pyithu.chat import bot
from pyithu.health.models import CaseMessage, Consultation
from pyithu.health.services import consults

SYMPTOMS = "ခေါင်းကိုက်ပြီး ဖျားနေတယ်"


@pytest.fixture
def polling(reference_data: Any, telegram: Any) -> Iterator[Any]:
    # The flush between transactional tests empties the health seed too: load it again.
    importlib.import_module("pyithu.health.migrations.0002_seed").seed(apps, None)
    stop = threading.Event()
    runner = threading.Thread(
        target=lambda: asyncio.run(bot.poll(stop, outbox_every=0.2, poll_timeout=1)), daemon=True
    )
    runner.start()
    yield telegram
    stop.set()
    runner.join(timeout=10)
    assert not runner.is_alive()


class Phone:
    """Mya's Telegram app: she types, or presses a button of the bot's last message."""

    def __init__(self, telegram: Any) -> None:
        self.telegram = telegram
        self.seen = 0

    def send(self, text: str) -> dict[str, Any]:
        self.telegram.say(MYA, text)
        self.seen += 1
        return self.telegram.wait_for(MYA, self.seen)[-1]

    def press(self, start: str) -> dict[str, Any]:
        last = self.telegram.messages_to(MYA)[-1]
        labels = [row[0]["text"] for row in last["reply_markup"]["keyboard"]]
        return self.send(next(label for label in labels if label.startswith(start)))


def test_a_person_books_by_long_polling_and_gets_the_doctors_reply(polling: Any) -> None:
    phone = Phone(polling)
    assert phone.send("/start")["text"] == "ဘာသာစကား ရွေးပါ။ Choose your language."
    phone.press("မြန်မာ")
    flags = phone.send("/book")
    phone.send(str(len(flags["reply_markup"]["keyboard"])))  # none of these
    phone.send(SYMPTOMS)
    phone.send("1")
    phone.send("3")
    phone.send("1")
    township = phone.send("Dawei")
    if len(township["reply_markup"]["keyboard"]) > 2:
        phone.send("1")
    booked = phone.send("1")["text"]
    code = BOOKING_CODE.search(booked).group(0)
    case = Consultation.objects.get()
    assert (case.symptoms, case.language, case.contact_channel) == (SYMPTOMS, "my", "telegram")
    # When Dr Thida replies on the health service
    thida = accounts.create_staff_account("doctor-thida", "tea leaf salad 1988")
    accounts.grant_role(thida, Role.DOCTOR, "health")
    consults.claim_case(thida, case.pk)
    consults.reply(thida, case.pk, "Drink water and rest.")
    # Then the bot's outbox round delivers the notice to her chat
    phone.seen += 1
    notice = polling.wait_for(MYA, phone.seen)[-1]
    with translation.override("my"):
        health = gettext("Pyithu health: a doctor replied. Open the service and enter your code.")
        hint = gettext("To read it here: /check, then your code.")
    assert notice["text"] == f"{health}\n{hint}"
    # And she reads the reply with her code and answers
    phone.send("/check")
    assert "Drink water and rest." in phone.send(code)["text"]
    phone.send("ကျေးဇူးပါ")
    assert CaseMessage.objects.filter(author="patient").get().body == "ကျေးဇူးပါ"
    assert polling.calls[:2] == ["getMe", "deleteWebhook"]


def test_the_command_registers_and_removes_the_webhook(telegram: Any) -> None:
    call_command("bot", "telegram", "--webhook", "https://pyithu.example/")
    assert telegram.webhook == {
        "url": "https://pyithu.example/chat/telegram/hook-Secret_42/",
        "secret_token": "hook-Secret_42",
        "allowed_updates": ["message"],
    }
    call_command("bot", "telegram", "--delete-webhook")
    assert telegram.webhook == {}
