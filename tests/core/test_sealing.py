"""Sealed fields and files: encrypted at rest, readable with the key, rotatable."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from pyithu.accounts import services
from pyithu.accounts.models import User
from pyithu.core import sealing
from pyithu.core.fields import SealedFileStorage
from pyithu.core.rotation import rotate_keys

# Values a leaked database must never reveal.
SECRET_CONTACT = "Signal @ma-hla-9931 phone 09-7788-11223"
SECRET_NAME = "Daw Khin Hnin Wai"
SECRET_BURMESE = "ကျွန်မနာမည် ခင်နှင်းဝေ"


@pytest.fixture
def key_file(tmp_path: Path, settings: Any) -> Path:
    """A throwaway key file, so rotation never touches the developer's own keys."""
    path = tmp_path / "keys.json"
    settings.PYITHU_KEY_FILE = path
    settings.PYITHU_KEYS_JSON = ""
    sealing.reset_keyring()
    yield path
    sealing.reset_keyring()


def _raw_column(table: str, column: str, pk: Any) -> str:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(column)} FROM {qn(table)} WHERE id = %s",  # noqa: S608
            [pk.hex if connection.vendor == "sqlite" else pk],
        )
        return cursor.fetchone()[0]


def test_sealed_text_is_ciphertext_in_the_database_and_plaintext_in_python(
    db: Any, key_file: Path
) -> None:
    # Given a citizen who leaves a contact detail
    user, _ = services.create_citizen_account("hla", "green tea leaves 42", contact=SECRET_CONTACT)
    # When the row is read raw
    raw = _raw_column("accounts_user", "contact", user.pk)
    # Then the database holds only a versioned sealed token, and the model reads plaintext
    assert raw.startswith("sealed:1:")
    assert SECRET_CONTACT not in raw
    assert User.objects.get(pk=user.pk).contact == SECRET_CONTACT


def test_tampered_sealed_value_is_refused(key_file: Path) -> None:
    token = sealing.seal_text("secret")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(sealing.SealingError):
        sealing.unseal_text(tampered)


def test_a_different_key_cannot_unseal(key_file: Path, settings: Any, tmp_path: Path) -> None:
    token = sealing.seal_text("secret")
    settings.PYITHU_KEY_FILE = tmp_path / "other.json"
    sealing.reset_keyring()
    with pytest.raises(sealing.SealingError):
        sealing.unseal_text(token)


def test_sealed_files_are_encrypted_on_disk_under_random_names(
    tmp_path: Path, key_file: Path
) -> None:
    storage = SealedFileStorage(location=str(tmp_path / "files"))
    name = storage.save("referral-letter-of-ma-hla.pdf", ContentFile(SECRET_NAME.encode()))
    on_disk = (tmp_path / "files" / name).read_bytes()
    assert "ma-hla" not in name
    assert SECRET_NAME.encode() not in on_disk
    assert storage.open(name).read() == SECRET_NAME.encode()


def test_rotate_keys_reseals_rows_and_files_and_can_drop_old_keys(
    db: Any, key_file: Path, tmp_path: Path, settings: Any
) -> None:
    # Given data sealed under key 1
    settings.MEDIA_ROOT = tmp_path / "media"
    user, _ = services.create_citizen_account("hla", "green tea leaves 42", contact=SECRET_CONTACT)
    from pyithu.core.fields import sealed_storage

    name = sealed_storage.save("x", ContentFile(b"document bytes"))
    # When the keys are rotated with the old ones dropped
    report = rotate_keys(drop_old=True)
    # Then every value is under key 2, readable, and key 1 is gone from the key file
    assert report.new_version == 2
    assert report.rows_resealed.get("accounts_user.contact", 0) >= 1
    assert report.files_resealed == 1
    assert _raw_column("accounts_user", "contact", user.pk).startswith("sealed:2:")
    assert User.objects.get(pk=user.pk).contact == SECRET_CONTACT
    assert sealed_storage.open(name).read() == b"document bytes"
    assert list(json.loads(key_file.read_text())["keys"]) == ["2"]
    # And a second rotation has nothing old left to re-seal beyond what it finds
    assert rotate_keys().rows_resealed.get("accounts_user.contact", 0) >= 1


def test_digest_is_keyed_and_purpose_bound(key_file: Path) -> None:
    assert sealing.digest("login-handle", "alice") == sealing.digest("login-handle", "alice")
    assert sealing.digest("login-handle", "alice") != sealing.digest("survey", "alice")
    assert "alice" not in sealing.digest("login-handle", "alice")
    # A purpose longer than BLAKE2b's personalisation would be cut short, so it is refused
    with pytest.raises(ValueError):
        sealing.digest("survey-account-long", "alice")


def _dump_database() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    settings_dict = connection.settings_dict
    cmd = ["pg_dump", "--no-owner", "-d", settings_dict["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings_dict.get(key):
            cmd += [flag, str(settings_dict[key])]
    env = {"PGPASSWORD": settings_dict.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"}
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout


@pytest.mark.django_db(transaction=True)
def test_a_dumped_database_reveals_no_sensitive_value(key_file: Path) -> None:
    # Given sensitive values entered the way people enter them
    _citizen, codes = services.create_citizen_account(
        "hla", "green tea leaves 42", contact=f"{SECRET_CONTACT} {SECRET_BURMESE}"
    )
    staff = services.create_staff_account(
        "doctor-mya", "white coat night 7", display_name=SECRET_NAME
    )
    secret = services.start_totp_enrolment(staff)
    _token, raw_token = services.create_api_token(staff, "pharmacy integration")
    # When the whole database is dumped (SQLite .dump, or pg_dump on PostgreSQL)
    dump = _dump_database()
    # Then none of them appears, in any form
    assert "hla" in dump  # the dump is real: the pseudonymous handle is there
    for value in [
        SECRET_CONTACT,
        "09-7788-11223",
        SECRET_BURMESE,
        SECRET_NAME,
        secret,
        raw_token,
        "green tea leaves 42",
        *codes,
    ]:
        assert value not in dump, value
