"""The systemd units in deploy/ are valid and run commands that exist."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
PYITHU = Path(sys.executable).parent / "pyithu"
INSTALLED = "/srv/pyithu/venv/bin/pyithu"


def _exec_lines() -> list[list[str]]:
    lines = []
    for unit in UNITS:
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                lines.append(shlex.split(line.removeprefix("ExecStart=").lstrip("-")))
    return lines


def test_every_unit_runs_an_existing_pyithu_command() -> None:
    commands = _exec_lines()
    expected = {"serve", "outbox", "bot", "finance", "clearsessions", "backup"}
    assert {c[1] for c in commands} == expected
    for command in commands:
        assert command[0] == INSTALLED
        if command[1] == "serve":
            continue  # gunicorn's own options, passed through by `pyithu serve`
        done = subprocess.run(
            [str(PYITHU), *command[1:], "--help"], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (command, done.stderr[-2000:])


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd unit check skipped: systemd-analyze is not installed")
    names = []
    for unit in UNITS:
        name = unit.name.replace("@.service", "@8001.service")
        text = unit.read_text().replace(INSTALLED, str(PYITHU))
        (tmp_path / name).write_text(text)
        names.append(f"./{name}")
    done = subprocess.run(
        [analyze, "verify", "--man=no", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
