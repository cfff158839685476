"""The operator passphrase that unlocks a node: where it comes from (see ``unlock``), asked at
most once per process and held in memory only; kept below ``unlock`` and ``node_keys``, which
both need it."""

from __future__ import annotations

import getpass
import os
import sys

from pyithu.sync import config
from pyithu.sync.identity import IdentityError

_held: list[str] = []


def _from_fd() -> str | None:
    value = os.environ.get("PYITHU_NODE_PASSPHRASE_FD", "").strip()
    if not value:
        return None
    try:
        with os.fdopen(int(value), "rb") as fh:
            return fh.read().decode("utf-8").strip()
    except (ValueError, OSError) as exc:
        raise IdentityError(f"cannot read the passphrase from descriptor {value}: {exc}") from exc


def ask_passphrase(confirm: bool = False) -> str:
    if _held:
        return _held[0]
    passphrase = _from_fd() or config.node_passphrase()
    if not passphrase:
        if not sys.stdin.isatty():
            raise IdentityError(
                "this node is locked: give the operator passphrase (run `pyithu node serve` "
                "on a terminal, or set PYITHU_NODE_PASSPHRASE_FD or PYITHU_NODE_PASSPHRASE_FILE)"
            )
        passphrase = getpass.getpass("Operator passphrase: ")
        if confirm and getpass.getpass("Again: ") != passphrase:
            raise IdentityError("the two passphrases differ")
    _held[:] = [passphrase]
    return passphrase


def service_passphrase() -> str:
    """The passphrase for unlocking the sealing keys (asked at most once per process)."""
    return ask_passphrase()


def forget_passphrase() -> None:
    _held.clear()
