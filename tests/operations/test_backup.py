"""Backups: a round trip into a fresh database on this engine, and every refusal of restore."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any
from uuid import uuid4

import pyrage
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pyithu.accounts import services as accounts
from pyithu.core import sealing
from pyithu.core.fields import sealed_storage
from pyithu.operations import backup
from pyithu.outbox.services import enqueue

SECRET_NAME = "Daw Khin Myint backup-check"


def _key_pair(path: Path) -> str:
    call_command("backup_key", str(path), stdout=io.StringIO())
    return next(
        line.split(": ", 1)[1]
        for line in path.read_text().splitlines()
        if line.startswith("# public key:")
    )


@pytest.fixture
def site(transactional_db: Any, tmp_path: Path, settings: Any) -> dict[str, Any]:
    """Committed data (pg_dump reads it from another connection): an account with a sealed
    name, a queued message, a sealed file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    user, _codes = accounts.create_citizen_account("backupper", "tea leaf salad 1988")
    user.display_name = SECRET_NAME
    user.save()
    enqueue("console", "09-000-111", "your booking is confirmed")
    stored = sealed_storage.save("x", ContentFile(b"a scanned letter"))
    public = _key_pair(tmp_path / "recovery.key")
    return {"user": user, "file": stored, "public": public, "identity": tmp_path / "recovery.key"}


def _fresh_database(tmp_path: Path) -> tuple[str, Any]:
    """A URL for an empty database on this test's engine, and how to drop it."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}", lambda: None
    import psycopg

    name = f"{db['NAME']}_restore_{uuid4().hex[:8]}"
    params = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}", drop


def _pyithu(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pyithu.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_round_trip_into_a_fresh_database(site: dict[str, Any], tmp_path: Path) -> None:
    output = tmp_path / "out" / "b.age"
    call_command("backup", output=str(output), recipient=site["public"], stdout=io.StringIO())
    assert output.stat().st_mode & 0o077 == 0

    # Another machine: its own var dir and database, the site's key file restored beside it.
    keys = tmp_path / "keys.json"
    keys.write_text(sealing.keyring().to_json())
    url, drop = _fresh_database(tmp_path)
    env = dict(os.environ, DATABASE_URL=url, PYITHU_VAR_DIR=str(tmp_path / "var2"))
    env.update(PYITHU_KEY_FILE=str(keys), PYITHU_KEYS="")
    env.pop("PYITHU_MEDIA_ROOT", None)
    stray = tmp_path / "var2" / "media" / "left-over.txt"
    stray.parent.mkdir(parents=True)
    stray.write_text("from an earlier install")
    try:
        refused = _pyithu(env, "restore", str(output), "--identity", str(site["identity"]))
        assert refused.returncode != 0 and "already holds files" in refused.stderr
        stray.unlink()
        done = _pyithu(env, "restore", str(output), "--identity", str(site["identity"]))
        assert done.returncode == 0, done.stderr
        assert "counts as in the manifest" in done.stdout
        assert "and 1 files" in done.stdout and "1 sealed files" in done.stdout
        assert "ledger check passed" in done.stdout

        read = _pyithu(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from pyithu.accounts.models import User; "
            "from pyithu.outbox.models import Message; "
            "from pyithu.core.fields import sealed_storage; "
            "print(User.objects.get(handle='backupper').display_name); "
            "print(Message.objects.get().body); "
            f"print(sealed_storage.open('{site['file']}').read().decode())",
        )
        assert read.returncode == 0, read.stderr
        assert read.stdout.splitlines() == [
            SECRET_NAME,
            "your booking is confirmed",
            "a scanned letter",
        ]

        again = _pyithu(env, "restore", str(output), "--identity", str(site["identity"]))
        assert again.returncode != 0
        assert "database is not empty" in again.stderr
        forced = _pyithu(
            env, "restore", str(output), "--identity", str(site["identity"]), "--force"
        )
        assert forced.returncode == 0, forced.stderr
        assert "counts as in the manifest" in forced.stdout
    finally:
        drop()

    if shutil.which("age"):  # the standard tool opens it too (Debian's `age` package)
        plain = subprocess.run(
            ["age", "-d", "-i", str(site["identity"]), str(output)],
            capture_output=True,
            check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
            names = tar.getnames()
            manifest = json.load(tar.extractfile("manifest.json"))
        assert names[0] == "manifest.json"
        assert f"database.{'pgdump' if connection.vendor == 'postgresql' else 'sqlite3'}" in names
        assert f"files/sealed/{site['file']}" in names
        assert manifest["tables"]["accounts_user"] == 1
        # No sealing key anywhere in it, and the name only sealed.
        ring = sealing.keyring()
        for key in [*ring.keys.values(), ring.digest_key]:
            assert sealing._b64(key).encode() not in plain
        assert SECRET_NAME.encode() not in plain


def test_restore_refuses_another_key_a_cut_or_altered_file_and_a_full_database(
    site: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    output = tmp_path / "b.age"
    call_command("backup", output=str(output), recipient=site["public"], stdout=io.StringIO())
    identity = str(site["identity"])

    def refused(path: Path, key: str = identity, **options: Any) -> str:
        with pytest.raises(CommandError) as caught:
            call_command("restore", str(path), identity=key, **options)
        return str(caught.value)

    _key_pair(tmp_path / "other.key")
    assert "not made for this recovery key" in refused(output, str(tmp_path / "other.key"))

    blob = output.read_bytes()
    cut = tmp_path / "cut.age"
    cut.write_bytes(blob[: len(blob) - 100])
    assert "truncated or was altered" in refused(cut)
    altered = tmp_path / "altered.age"
    flipped = bytearray(blob)
    flipped[len(blob) // 2] ^= 0x01
    altered.write_bytes(bytes(flipped))
    assert "truncated or was altered" in refused(altered)

    # Sealing keys that do not open the backup: nothing is touched, the operator is told why.
    other_ring = sealing.KeyRing({1: sealing.new_key()}, 1, sealing.new_key())
    settings.PYITHU_KEYS_JSON = other_ring.to_json()
    sealing.reset_keyring()
    try:
        assert "do not open this backup" in refused(output, force=True)
    finally:
        settings.PYITHU_KEYS_JSON = ""
        sealing.reset_keyring()

    # A key file that lost an older version the backup's rows may still use.
    ring = sealing.keyring()
    newer = sealing.KeyRing({99: sealing.new_key()}, 99, ring.digest_key)
    settings.PYITHU_KEYS_JSON = newer.to_json()
    sealing.reset_keyring()
    try:
        assert "lacks" in refused(output, force=True)
    finally:
        settings.PYITHU_KEYS_JSON = ""
        sealing.reset_keyring()

    # This test database holds the site: no restore over it without --force.
    assert "database is not empty" in refused(output)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, db: Any) -> None:
    _key_pair(tmp_path / "k")
    public = (tmp_path / "k").read_text().split("public key: ")[1].split()[0]
    stray = tmp_path / "stray.age"
    stray.write_bytes(
        pyrage.encrypt(b"not a tar archive", [pyrage.x25519.Recipient.from_str(public)])
    )
    with pytest.raises(CommandError, match="not a Pyithu backup"):
        call_command("restore", str(stray), identity=str(tmp_path / "k"))


def test_backup_key_never_overwrites_a_secret(tmp_path: Path) -> None:
    path = tmp_path / "recovery.key"
    path.write_text("an earlier key")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_key", str(path), stdout=io.StringIO())
    assert path.read_text() == "an earlier key"


def test_sealing_keys_go_to_a_different_recipient(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    data_public = _key_pair(tmp_path / "recovery.key")
    custody_public = _key_pair(tmp_path / "custody.key")
    monkeypatch.setenv("PYITHU_BACKUP_RECIPIENT", data_public)
    with pytest.raises(CommandError, match="different recipient"):
        call_command("backup_keys", str(tmp_path / "k1.age"), recipient=data_public)
    assert not (tmp_path / "k1.age").exists()

    call_command(
        "backup_keys", str(tmp_path / "k2.age"), recipient=custody_public, stdout=io.StringIO()
    )
    custody = backup.load_identity(tmp_path / "custody.key")
    plain = pyrage.decrypt((tmp_path / "k2.age").read_bytes(), [custody])
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        stored = tar.extractfile("keys.json").read().decode()
    assert sealing.parse_keyring(stored).keys == sealing.keyring().keys
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(
            (tmp_path / "k2.age").read_bytes(),
            [backup.load_identity(tmp_path / "recovery.key")],
        )


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    names = [f"pyithu-2026120{d}T020000Z.age" for d in range(1, 6)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("kept")
    deleted = backup.prune(tmp_path, 2)
    assert [p.name for p in deleted] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names[3:], "notes.txt"])
