"""A stolen database after real use reveals no one: people sign up, book, ask, are redacted
and deleted, claim a certificate, pay with a note, and the keys are rotated; then every table
(the sync change log included) and every file under var/ is searched for what they typed, in
clear and inside anything base64-encoded."""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from pyithu.accounts import services as accounts
from pyithu.accounts.models import Role
from pyithu.core import sealing
from pyithu.core.rotation import rotate_keys
from pyithu.education.certificates import services as certificates
from pyithu.finance.currencies import ensure_currencies
from pyithu.finance.models import AccountKind
from pyithu.finance.services import ledger, wallets
from pyithu.health.services import booking, community

PASSPHRASE = "tea leaf salad 1988"
SECRETS = {
    "contact": "Signal @mya-leak-4471",
    "symptoms": "a rash and a cough since the raid at Hlegu 4471",
    "asker": "Daw Aye Aye Leak",
    "rejected": "U Tun Tun Leak",
    "holder": "Ma Hnin Leak Wai",
    "note": "for the CDM teacher Leak 4471",
    "burmese": "ခင်ခင်လိ",
}
BASE64ISH = re.compile(r"[A-Za-z0-9_\-+/]{16,}={0,2}")


def dump() -> str:
    """Every value of every table, as text."""
    parts = []
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608 (table names from the db)
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        parts.append(bytes(value).decode("latin-1"))
                    elif value is not None:
                        parts.append(str(value))
    return "\n".join(parts)


def files_under(root: Path) -> str:
    if not root.exists():
        return ""
    return "\n".join(p.read_bytes().decode("latin-1") for p in root.rglob("*") if p.is_file())


def decoded(text: str) -> str:
    """Whatever base64 (standard or url-safe) inside the text decodes to."""
    out = []
    for token in BASE64ISH.findall(text):
        for alphabet in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                raw = alphabet(token + "=" * (-len(token) % 4))
            except (binascii.Error, ValueError):
                continue
            out.append(raw.decode("utf-8", "ignore"))
    return "\n".join(out)


@pytest.fixture
def own_keys(tmp_path: Path, settings: Any) -> Any:
    """Keys of this test's own, taken before anything is sealed, so rotation never touches a
    developer's key file."""
    settings.PYITHU_KEY_FILE = tmp_path / "keys.json"
    settings.PYITHU_KEYS_JSON = ""
    sealing.reset_keyring()
    yield
    sealing.reset_keyring()


def test_a_dump_after_real_use_reveals_no_one(
    own_keys: None, settings: Any, make_staff: Any
) -> None:
    alice, _codes = accounts.create_citizen_account("alice", PASSPHRASE)
    _use_the_platform(make_staff, alice)
    rotate_keys(drop_old=True)
    # When the database and var/ are stolen
    stolen = dump() + files_under(Path(settings.MEDIA_ROOT))
    stolen += decoded(stolen)
    # Then nothing anyone typed can be read in them
    found = {k: v for k, v in SECRETS.items() if v.casefold() in stolen.casefold()}
    assert found == {}


def _use_the_platform(make_staff: Any, alice: Any) -> None:
    # A citizen leaves a contact, then deletes the account
    mya, _codes = accounts.create_citizen_account("myaleak", PASSPHRASE)
    accounts.set_contact(mya, SECRETS["contact"])
    accounts.delete_account(mya, PASSPHRASE)
    # A patient books with symptoms and a contact
    booking.book_consultation(
        booking.Booking(
            symptoms=f"{SECRETS['symptoms']} {SECRETS['burmese']}",
            age_band="18-39",
            sex="female",
            language="my",
            abroad_country="TH",
            contact_channel="sms",
            contact=SECRETS["contact"],
        )
    )
    # Two public questions: one published with the name taken out, one rejected
    doctor = make_staff("doctor-leak", Role.DOCTOR, "health")
    asked = community.ask_question(f"My mother {SECRETS['asker']} coughs blood", "en")
    community.answer_question(
        doctor, asked.pk, "See a doctor today.", question="My mother coughs blood"
    )
    rejected = community.ask_question(f"{SECRETS['rejected']} is my neighbour", "en")
    community.reject_question(doctor, rejected.pk)
    # A certificate printed with the holder's name, and a transcript
    certificates.issue(
        holder_pseudonym="C-LEAK",
        title="Matriculation",
        result="pass",
        holder_name=SECRETS["holder"],
    )
    # A payment with a personal note
    ensure_currencies()
    bank = ledger.system_account(AccountKind.SETTLEMENT, "MMK")
    ledger.transfer(
        "test", "fund", ledger.TransferRequest(bank.pk, wallets.wallet_for(alice, "MMK").pk, 5000)
    )
    bob, _ = accounts.create_citizen_account("bobleak", PASSPHRASE)
    wallets.pay(alice, wallets.wallet_for(bob, "MMK"), "MMK", 1000, "leak-1", note=SECRETS["note"])
