"""Production mode refuses unsafe configuration; `check --deploy` is clean when configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "pyithu.settings", **env}
    for passed in ("DATABASE_URL", "PYTHONPATH"):
        if os.environ.get(passed):
            full[passed] = os.environ[passed]
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = _run({"PYITHU_MODE": "production", "PYITHU_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "Set PYITHU_SECRET_KEY" in result.stderr


def test_production_refuses_a_missing_key_file(tmp_path: Path) -> None:
    env = {
        "PYITHU_MODE": "production",
        "PYITHU_SECRET_KEY": "k" * 60,
        "PYITHU_VAR_DIR": str(tmp_path),
    }
    result = _run(env, "check", "--deploy")
    assert result.returncode != 0
    assert "pyithu.E001" in result.stderr


def test_check_deploy_is_clean_in_production_mode(tmp_path: Path) -> None:
    env = {
        "PYITHU_MODE": "production",
        "PYITHU_SECRET_KEY": "a-long-random-production-secret-" + "x9Q" * 12,
        "PYITHU_VAR_DIR": str(tmp_path),
        "PYITHU_ALLOWED_HOSTS": "pyithu.example",
    }
    assert _run(env, "init_keys").returncode == 0
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
