"""The hub's signed address list (decision 0027) and an onion host in the settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pyithu.core.mirrors import MirrorListError, public_key, sign_list, verify_list

ONION = "pyithuxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"


def test_a_signed_list_round_trips_and_refuses_tampering_and_older_lists() -> None:
    key = public_key()
    first = sign_list(["https://hub.example", f"http://{ONION}"], seq=1)
    assert verify_list(first, key)["addresses"] == ["https://hub.example", f"http://{ONION}"]
    prefix, body, signature = first.split(".")
    swapped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(MirrorListError, match="altered"):
        verify_list(f"{prefix}.{swapped}.{signature}", key)
    with pytest.raises(MirrorListError, match="not newer"):
        verify_list(first, key, newer_than=1)
    other = "A" * 43 + "="
    with pytest.raises(MirrorListError):
        verify_list(first, other)


def test_mirrors_verify_refuses_an_older_list_after_a_newer_one(
    tmp_path: Path, settings: Any
) -> None:
    settings.VAR_DIR = tmp_path
    key = public_key()
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(sign_list(["https://a.example"], seq=4))
    new.write_text(sign_list(["https://b.example"], seq=5))
    call_command("mirrors", "verify", str(new), "--key", key)
    with pytest.raises(CommandError, match="not newer"):
        call_command("mirrors", "verify", str(old), "--key", key)
    tampered = tmp_path / "bad.txt"
    tampered.write_text(new.read_text().replace(".", ".x", 1))
    with pytest.raises(CommandError):
        call_command("mirrors", "verify", str(tampered), "--key", key)


def test_settings_accept_an_onion_host() -> None:
    env = {**os.environ, "PYITHU_ONION_HOST": ONION, "DJANGO_SETTINGS_MODULE": "pyithu.settings"}
    code = (
        "from django.conf import settings as s;"
        "print(s.ALLOWED_HOSTS[-1], s.CSRF_TRUSTED_ORIGINS[-1])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [ONION, f"http://{ONION}"]
