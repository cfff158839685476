"""The `pyithu` command and the demo."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pyotp
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pyithu.accounts.models import Role, User
from pyithu.cli import main


def test_demo_loads_people_for_every_role_and_says_how_to_sign_in(db: Any) -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    # Every staff role has a demo person with a working authenticator
    for role in Role:
        person = User.objects.filter(role_grants__role=role.value).distinct().first()
        assert person.handle in text and person.totp_secret in text
        assert person.has_totp
    assert User.objects.get(handle="alice").check_password("spring rice river 2025")
    # Running it again changes nothing
    call_command("demo", stdout=StringIO())
    assert User.objects.filter(handle="alice").count() == 1


def test_demo_never_loads_in_production(db: Any, settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loads in production"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.exists()


def test_totp_code_prints_the_current_code_of_a_demo_staff_member(olivia: User) -> None:
    out = StringIO()
    call_command("totp_code", "operator-olivia", stdout=out)
    assert pyotp.TOTP(olivia.totp_secret).verify(out.getvalue().strip())


def test_cli_maps_dashed_names_to_management_commands(olivia: User, capsys: Any) -> None:
    main(["totp-code", "operator-olivia"])
    assert pyotp.TOTP(olivia.totp_secret).verify(capsys.readouterr().out.strip())


def test_cli_help_lists_the_main_commands(capsys: Any) -> None:
    main([])
    text = capsys.readouterr().out
    assert "pyithu run" in text and "rotate-keys" in text


def test_staff_command_creates_grants_and_issues_tokens(db: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: "river stone 20 lamp")
    call_command("staff", "create", "nurse-aye", stdout=StringIO())
    call_command("staff", "grant", "nurse-aye", "doctor", stdout=StringIO())
    out = StringIO()
    call_command("staff", "token", "nurse-aye", "pharmacy", stdout=out)
    nurse = User.objects.get(handle="nurse-aye")
    assert nurse.is_staff and nurse.role_grants.get().ministry == "health"
    assert out.getvalue().startswith("pyt_")
    with pytest.raises(CommandError, match="No account"):
        call_command("staff", "grant", "nobody", "doctor", stdout=StringIO())


def test_serve_runs_gunicorn_on_the_configured_address(tmp_path: Any, free_port: int) -> None:
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    env = {
        **os.environ,
        "PYITHU_BIND": f"127.0.0.1:{free_port}",
        "PYITHU_WORKERS": "1",
        "PYITHU_VAR_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "pyithu.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{free_port}/health", timeout=1) as r:
                    assert r.status == 200 and b"ok" in r.read()
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
    finally:
        server.terminate()
        server.wait(timeout=10)
