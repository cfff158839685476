"""Unlocking this site for a command, a service or a request: the identity and, on a node, the
sealing key ring (0056). Unlocked keys are kept for the life of the process, in memory only.

Where the operator passphrase comes from, first found wins:

``PYITHU_NODE_PASSPHRASE_FD``    a file descriptor to read it from once (a pipe from a service
                                 manager or a script: it is never in the environment or on disk)
``PYITHU_NODE_PASSPHRASE_FILE``  a file (e.g. systemd ``LoadCredential=``, on tmpfs)
``PYITHU_NODE_PASSPHRASE``       the variable itself (tests and the hub's unattended services)
the terminal                     asked once, when the process has one (``pyithu node serve``)
"""

from __future__ import annotations

import functools
import getpass
import os
import sys

from pyithu.sync import config
from pyithu.sync.identity import Identity, IdentityError, unlock_identity

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


@functools.cache
def site_identity() -> Identity:
    return unlock_identity(config.node_key_file(), ask_passphrase())


def unlock_node() -> Identity:
    """Unlock the identity and (on a node) the sealing keys now, before serving anyone.

    A wrong passphrase is forgotten, so the next attempt asks again.
    """
    from pyithu.core import sealing

    try:
        identity = site_identity()
        sealing.keyring()
    except Exception:
        forget_identity()
        raise
    return identity


def forget_passphrase() -> None:
    _held.clear()


def forget_identity() -> None:
    """Forget the passphrase and everything it unlocked in this process."""
    from pyithu.sync import node_keys

    _held.clear()
    site_identity.cache_clear()
    node_keys.forget()
