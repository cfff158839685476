"""A township node's sealing key ring, locked by the operator passphrase (decision 0056).

On the hub the core's key file is used as it is (0001). On a node (``PYITHU_SYNC_ROLE=node``)
the same file (``PYITHU_KEY_FILE``) holds the ring encrypted with XSalsa20-Poly1305 under a key
derived from the operator passphrase by Argon2id; only the salt and the KDF limits are in clear.
The ring is unlocked once per process (``pyithu node serve`` and commands ask, services read
``PYITHU_NODE_PASSPHRASE_FD`` / ``_FILE`` / the variable) and kept only in memory, so a seized,
powered-off node holds nothing readable. The core asks for it through its key-ring hook
(``sealing.register_keyring_source``), so core never imports sync.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pyithu.core import sealing
from pyithu.sync import config
from pyithu.sync.identity import MEMLIMIT, OPSLIMIT, IdentityError, b64, derive_lock_key, unb64
from pyithu.sync.passphrase import forget_passphrase, service_passphrase

FORMAT = "pyithu-locked-keys-1"
SOURCE = "sync-node"


class NodeLocked(ImproperlyConfigured):
    """This node's sealing keys are not unlocked (or not set up) in this process."""


@dataclass(frozen=True)
class _Lock:
    salt: bytes
    ops: int
    mem: int
    key: bytes


# The derived lock key per key file, for this process only: never written anywhere.
_locks: dict[str, _Lock] = {}


def key_file() -> Path:
    return Path(settings.PYITHU_KEY_FILE)


def is_locked_file(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT


def _write(path: Path, lock: _Lock, ring: sealing.KeyRing) -> None:
    box = nacl.secret.SecretBox(lock.key)
    data = {
        "format": FORMAT,
        "kdf": {"alg": "argon2id", "salt": b64(lock.salt), "ops": lock.ops, "mem": lock.mem},
        "locked": b64(box.encrypt(ring.to_json().encode("utf-8"))),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".keys-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def lock_keyring(
    ring: sealing.KeyRing,
    path: Path,
    passphrase: str,
    *,
    opslimit: int = OPSLIMIT,
    memlimit: int = MEMLIMIT,
) -> None:
    """Write ``ring`` to ``path`` locked by ``passphrase`` (a new salt), and keep it unlocked."""
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    lock = _Lock(salt, opslimit, memlimit, derive_lock_key(passphrase, salt, opslimit, memlimit))
    _write(path, lock, ring)
    _locks[str(path)] = lock
    sealing.reset_keyring()


def _read_locked(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NodeLocked(
            f"this node has no sealing keys at {path}: run `pyithu node init`"
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise NodeLocked(f"{path} is not a sealing key file") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise NodeLocked(
            f"the sealing keys in {path} are not locked: run `pyithu node init` to lock them "
            "with the operator passphrase"
        )
    return data


def _open(path: Path, data: dict[str, Any], lock: _Lock) -> sealing.KeyRing:
    try:
        plain = nacl.secret.SecretBox(lock.key).decrypt(unb64(data["locked"]))
    except nacl.exceptions.CryptoError:
        raise IdentityError("wrong passphrase for this node's sealing keys") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise NodeLocked(f"{path} is damaged: {exc}") from exc
    return sealing.parse_keyring(plain.decode("utf-8"))


def unlock_keyring(path: Path, passphrase: str) -> sealing.KeyRing:
    """Open the locked ring with the passphrase and keep the lock key for this process."""
    data = _read_locked(path)
    try:
        kdf = data["kdf"]
        salt, ops, mem = unb64(kdf["salt"]), int(kdf["ops"]), int(kdf["mem"])
    except (KeyError, TypeError, ValueError) as exc:
        raise NodeLocked(f"{path} is damaged: {exc}") from exc
    lock = _Lock(salt, ops, mem, derive_lock_key(passphrase, salt, ops, mem))
    ring = _open(path, data, lock)
    _locks[str(path)] = lock
    return ring


def forget() -> None:
    """Drop the lock keys held in memory (after a wipe, or in tests)."""
    _locks.clear()
    sealing.reset_keyring()


def load() -> sealing.KeyRing | None:
    """The core's key-ring hook: ``None`` on the hub (the key file as usual)."""
    if config.sync_role() != config.NODE:
        return None
    if settings.PYITHU_KEYS_JSON:
        raise NodeLocked(
            "on a node the sealing keys are locked by the operator passphrase: unset PYITHU_KEYS"
        )
    path = key_file()
    data = _read_locked(path)
    lock = _locks.get(str(path))
    if lock is not None and data.get("kdf", {}).get("salt") == b64(lock.salt):
        return _open(path, data, lock)
    try:
        return unlock_keyring(path, service_passphrase())
    except IdentityError as exc:
        forget_passphrase()  # a wrong one is not kept: the next attempt asks again
        raise NodeLocked(str(exc)) from None


def save(ring: sealing.KeyRing, path: Path) -> bool:
    """The core's hook for ``rotate-keys``: on a node, store the new ring locked again."""
    if config.sync_role() != config.NODE or Path(path) != key_file():
        return False
    lock = _locks.get(str(path))
    if lock is None:
        raise NodeLocked("unlock this node (its operator passphrase) before changing its keys")
    _write(Path(path), lock, ring)
    return True


def lock_existing_or_new(passphrase: str, **kdf: Any) -> str:
    """At `node init`: lock the plain key file there is (data stays readable), or make one.

    Returns what was done, for the operator.
    """
    path = key_file()
    if is_locked_file(path):
        unlock_keyring(path, passphrase)
        return "kept"
    if path.exists():
        ring = sealing.parse_keyring(path.read_text(encoding="utf-8"))
        size = path.stat().st_size
        # Overwrite the plain copy's bytes before the locked file replaces it.
        with open(path, "r+b") as fh:
            fh.write(os.urandom(max(size, 1)))
            fh.flush()
            os.fsync(fh.fileno())
        lock_keyring(ring, path, passphrase, **kdf)
        return "locked"
    lock_keyring(
        sealing.KeyRing({1: sealing.new_key()}, 1, sealing.new_key()), path, passphrase, **kdf
    )
    return "created"


def register() -> None:
    sealing.register_keyring_source(SOURCE, load, save)
