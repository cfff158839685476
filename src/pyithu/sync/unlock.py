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

from pyithu.sync import config
from pyithu.sync.identity import Identity, unlock_identity
from pyithu.sync.passphrase import (  # noqa: F401 (callers import these from here too)
    ask_passphrase,
    forget_passphrase,
    service_passphrase,
)


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


def forget_identity() -> None:
    """Forget the passphrase and everything it unlocked in this process."""
    from pyithu.sync import node_keys

    forget_passphrase()
    site_identity.cache_clear()
    node_keys.forget()
