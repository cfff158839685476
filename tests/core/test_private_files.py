"""The laptop's files are its owner's alone, key files survive a power cut, and a rotation
killed at any moment leaves every sealed value readable by the key file on disk."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pyithu.core.checks import check_private_files

PYITHU = str(Path(sys.executable).parent / "pyithu")
OPEN_EVERY_SEALED_VALUE = """
from django.db import connection
from pyithu.core import sealing
from pyithu.core.rotation import sealed_columns
opened = 0
with connection.cursor() as cursor:
    for table, pk, column in sealed_columns():
        cursor.execute(f'SELECT "{column}" FROM "{table}"')
        for (value,) in cursor.fetchall():
            if value and sealing.is_sealed_text(value):
                sealing.unseal_text(value)
                opened += 1
print(opened)
"""
MANY_SEALED_VALUES = """
from pyithu.accounts.models import User
User.objects.bulk_create(
    User(handle=f"p{n}", password="!", contact=f"+95 9 {n:09d}") for n in range(3000)
)
"""


def laptop(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PYITHU_VAR_DIR": str(tmp_path / "var"), "PYITHU_MODE": "development"}
    for name in ("DATABASE_URL", "PYITHU_KEY_FILE", "PYITHU_KEYS", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    return env


def opened(env: dict[str, str]) -> int:
    return int(run(env, "shell", "--no-imports", "-c", OPEN_EVERY_SEALED_VALUE).split()[-1])


def run(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [PYITHU, *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def test_a_fresh_laptop_keeps_its_database_and_keys_to_its_owner(tmp_path: Path) -> None:
    env = laptop(tmp_path)
    run(env, "migrate", "--verbosity", "0")
    run(env, "init-keys")
    var = tmp_path / "var"
    assert var.stat().st_mode & 0o777 == 0o700
    for name in ("pyithu.sqlite3", "keys.json", "secret_key"):
        assert (var / name).stat().st_mode & 0o777 == 0o600, name
    # And a var/ loosened by hand is tightened again at the next start
    (var / "pyithu.sqlite3").chmod(0o644)
    var.chmod(0o755)
    run(env, "check", "--fail-level", "WARNING")
    assert var.stat().st_mode & 0o777 == 0o700
    assert (var / "pyithu.sqlite3").stat().st_mode & 0o777 == 0o600


def test_check_warns_about_files_others_can_read(tmp_path: Path, settings: Any) -> None:
    shared = tmp_path / "shared-var"
    shared.mkdir()
    shared.chmod(0o755)
    settings.VAR_DIR = shared
    warnings = check_private_files()
    assert [w.id for w in warnings] == ["pyithu.W002"] and str(shared) in warnings[0].msg


def test_a_rotation_killed_at_any_moment_leaves_every_value_readable(tmp_path: Path) -> None:
    # Given a laptop with 3,000 sealed contacts
    env = laptop(tmp_path)
    run(env, "migrate", "--verbosity", "0")
    run(env, "shell", "-c", MANY_SEALED_VALUES)
    assert opened(env) == 3000
    key_file = tmp_path / "var" / "keys.json"
    # When rotations are killed at moments from start-up to the end
    for delay in (0.6, 1.4, 2.2, 3.0):
        rotation = subprocess.Popen(
            [PYITHU, "rotate-keys", "--drop-old"], env=env, stdout=subprocess.DEVNULL
        )
        time.sleep(delay)  # from start-up (about a second) to the end of the rotation
        rotation.send_signal(signal.SIGKILL)
        rotation.wait()
        # Then the key file is whole and opens every sealed value in the database
        assert json.loads(key_file.read_text())
        assert opened(env) == 3000
    # And a rotation left to finish still does
    run(env, "rotate-keys", "--drop-old")
    assert len(json.loads(key_file.read_text())["keys"]) == 1
    assert opened(env) == 3000
