"""Unlocking this site's identity for a command or a request (the passphrase from the
environment, or asked on the terminal), cached for the life of the process."""

from __future__ import annotations

import functools
import getpass

from pyithu.sync import config
from pyithu.sync.identity import Identity, IdentityError, unlock_identity


def ask_passphrase(confirm: bool = False) -> str:
    passphrase = config.node_passphrase()
    if passphrase:
        return passphrase
    passphrase = getpass.getpass("Operator passphrase: ")
    if confirm and getpass.getpass("Again: ") != passphrase:
        raise IdentityError("the two passphrases differ")
    return passphrase


@functools.cache
def site_identity() -> Identity:
    return unlock_identity(config.node_key_file(), ask_passphrase())


def forget_identity() -> None:
    site_identity.cache_clear()
