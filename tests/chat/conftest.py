"""Chat fixtures: the fake Telegram Bot API, Mya talking to the bot, and Dr Thida."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pyithu.accounts.models import Role, User

# The fake Bot API lives beside this file (tests run with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).parent))
from fake_telegram import TOKEN, FakeTelegram
from talk import MYA, Person

HOOK_SECRET = "hook-Secret_42"


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    settings.PYITHU_TELEGRAM_TOKEN = TOKEN
    settings.PYITHU_TELEGRAM_API_URL = fake.url
    settings.PYITHU_TELEGRAM_WEBHOOK_SECRET = HOOK_SECRET
    settings.PYITHU_PUBLIC_URL = "https://pyithu.example"
    yield fake
    fake.stop()


@pytest.fixture
def mya(db: Any, telegram: FakeTelegram) -> Person:
    return Person(MYA)


@pytest.fixture
def thida(make_staff: Any) -> User:
    """A general-clinic doctor."""
    return make_staff("doctor-thida", Role.DOCTOR, "health")
