"""Sealing: authenticated encryption of sensitive data with keys kept outside the database.

The key file (``PYITHU_KEY_FILE``, or its JSON in ``PYITHU_KEYS``) holds numbered master keys
and a separate digest key::

    {"current": 2, "keys": {"1": "<base64 32 bytes>", "2": "..."}, "digest_key": "<base64>"}

A sealed value records the key version that sealed it, so old rows stay readable after
``pyithu rotate-keys`` adds a key, and the command then re-seals them under the new one.
The digest key makes keyed hashes (for lookups and throttling without storing identifiers);
it is never rotated, since digests cannot be recomputed from what the database keeps.

Encryption is XSalsa20-Poly1305 (libsodium's secretbox, via PyNaCl), a random nonce per value.

Where the ring comes from can be taken over by an app above core without core importing it:
``register_keyring_source(name, load, save)``. ``load()`` returns a ``KeyRing`` or ``None``
("not mine here": the key file or ``PYITHU_KEYS`` as usual); ``save(ring, path)`` returns
``True`` when it stored a ring that would have gone to ``path``. The sync app uses it on a
township node, whose key file is locked by the operator's passphrase (decision 0056).
"""

from __future__ import annotations

import base64
import functools
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.secret
import nacl.utils
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TEXT_PREFIX = "sealed:"
FILE_MAGIC = b"PYSEAL1"


class SealingError(Exception):
    """A value could not be unsealed: wrong or missing key, or tampered ciphertext."""


@dataclass(frozen=True)
class KeyRing:
    keys: dict[int, bytes]
    current: int
    digest_key: bytes
    # On a township node: the hub's digest key, for lookups that must match on every site
    # (``SHARED_DIGEST_PURPOSES``, decision 0057). None on the hub and on a plain site.
    lookup_key: bytes | None = None

    def _box(self, version: int) -> nacl.secret.SecretBox:
        try:
            master = self.keys[version]
        except KeyError:
            raise SealingError(f"key version {version} is not in the key file") from None
        # A subkey per purpose, so the master key is never used directly.
        subkey = nacl.hash.blake2b(
            b"", key=master, person=b"pyithu-seal", digest_size=32, encoder=nacl.encoding.RawEncoder
        )
        return nacl.secret.SecretBox(subkey)

    def seal(self, plaintext: bytes) -> tuple[int, bytes]:
        return self.current, self._box(self.current).encrypt(plaintext)

    def unseal(self, version: int, ciphertext: bytes) -> bytes:
        try:
            return self._box(version).decrypt(ciphertext)
        except nacl.exceptions.CryptoError as exc:
            raise SealingError("sealed value failed authentication") from exc

    def to_json(self) -> str:
        data = {
            "current": self.current,
            "keys": {str(v): _b64(k) for v, k in sorted(self.keys.items())},
            "digest_key": _b64(self.digest_key),
        }
        if self.lookup_key is not None:
            data["lookup_key"] = _b64(self.lookup_key)
        return json.dumps(data, indent=2)

    @property
    def shared_digest_key(self) -> bytes:
        """The key for digests that must match across the federation (what a hub hands out)."""
        return self.lookup_key if self.lookup_key is not None else self.digest_key


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def new_key() -> bytes:
    return nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE)


def parse_keyring(text: str) -> KeyRing:
    try:
        data = json.loads(text)
        keys = {int(v): base64.b64decode(k) for v, k in data["keys"].items()}
        lookup = data.get("lookup_key")
        ring = KeyRing(
            keys,
            int(data["current"]),
            base64.b64decode(data["digest_key"]),
            base64.b64decode(lookup) if lookup is not None else None,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(f"the sealing key file is malformed: {exc}") from exc
    if ring.current not in ring.keys or any(len(k) != 32 for k in ring.keys.values()):
        raise ImproperlyConfigured("the sealing key file must hold 32-byte keys incl. 'current'")
    if ring.lookup_key is not None and len(ring.lookup_key) != 32:
        raise ImproperlyConfigured("the sealing key file's lookup key must be 32 bytes")
    return ring


KeyRingLoader = Callable[[], "KeyRing | None"]
KeyRingSaver = Callable[["KeyRing", Path], bool]
_sources: dict[str, tuple[KeyRingLoader, KeyRingSaver | None]] = {}


def register_keyring_source(
    name: str, load: KeyRingLoader, save: KeyRingSaver | None = None
) -> None:
    """Let an app supply (and store) the key ring; registering a name again replaces it."""
    _sources[name] = (load, save)
    keyring.cache_clear()


def unregister_keyring_source(name: str) -> None:
    _sources.pop(name, None)
    keyring.cache_clear()


def write_keyring(ring: KeyRing, path: Path) -> None:
    """Write atomically with owner-only permissions: a crash never leaves half a key file.

    A registered source may store it instead (e.g. locked by a passphrase on a node).
    """
    for _load, save in list(_sources.values()):
        if save is not None and save(ring, path):
            return
    write_plain_keyring(ring, path)


def write_plain_keyring(ring: KeyRing, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".keys-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(ring.to_json())
            fh.flush()
            os.fsync(fh.fileno())  # the new file's bytes are on disk before it takes the name
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # and so is the rename: a power cut leaves the old or the new
        finally:
            os.close(directory)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def keyring() -> KeyRing:
    for load, _save in list(_sources.values()):
        ring = load()
        if ring is not None:
            return ring
    if settings.PYITHU_KEYS_JSON:
        return parse_keyring(settings.PYITHU_KEYS_JSON)
    path = Path(settings.PYITHU_KEY_FILE)
    if not path.exists():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(f"sealing key file {path} is missing")
        # A laptop gets its first key on first use; production must be given one.
        write_plain_keyring(KeyRing({1: new_key()}, 1, new_key()), path)
    return parse_keyring(path.read_text(encoding="utf-8"))


def reset_keyring() -> None:
    keyring.cache_clear()


def seal_text(plaintext: str) -> str:
    version, box = keyring().seal(plaintext.encode("utf-8"))
    return f"{TEXT_PREFIX}{version}:{base64.urlsafe_b64encode(box).decode('ascii')}"


def is_sealed_text(value: str) -> bool:
    return value.startswith(TEXT_PREFIX)


def sealed_text_version(value: str) -> int:
    return int(value[len(TEXT_PREFIX) :].split(":", 1)[0])


def unseal_text(value: str) -> str:
    try:
        version_text, payload = value[len(TEXT_PREFIX) :].split(":", 1)
        box = base64.urlsafe_b64decode(payload.encode("ascii"))
        version = int(version_text)
    except (ValueError, UnicodeEncodeError) as exc:
        raise SealingError("malformed sealed value") from exc
    return keyring().unseal(version, box).decode("utf-8")


def seal_bytes(plaintext: bytes) -> bytes:
    version, box = keyring().seal(plaintext)
    return FILE_MAGIC + version.to_bytes(4, "big") + box


def sealed_bytes_version(blob: bytes) -> int:
    if not blob.startswith(FILE_MAGIC):
        raise SealingError("not a sealed file")
    return int.from_bytes(blob[len(FILE_MAGIC) : len(FILE_MAGIC) + 4], "big")


def unseal_bytes(blob: bytes) -> bytes:
    version = sealed_bytes_version(blob)
    return keyring().unseal(version, blob[len(FILE_MAGIC) + 4 :])


# Digests stored in records that travel between sites and looked up by a code or id typed on
# any site: a booking code made on a node must find its case on the hub, an exam code made on
# the hub must open the sitting on a node. They use the ring's shared key (the hub's digest key,
# handed to each node encrypted in the hub's bundles: decision 0057). Every other purpose
# (logins, throttles, recovery codes, API tokens) stays keyed by the site's own digest key.
SHARED_DIGEST_PURPOSES = frozenset(
    {
        "health-booking",
        "exam-code",
        "exam-binding",
        "survey-code",
        "survey-account",
        "edu-application",
        "edu-voucher",
        "feedback-code",
        "rx-prescriber",
        "fhir-patient",
        "node-payout",
    }
)


def digest(purpose: str, value: str) -> str:
    """A keyed hash: equal inputs match, but a leaked table cannot be reversed by guessing.

    ``purpose`` separates uses (a login handle digest never equals a survey digest). It is
    BLAKE2b's 16-byte personalisation: a longer one would be cut and could collide with
    another purpose, so it is refused; put variable parts (ids) in ``value``. A purpose in
    ``SHARED_DIGEST_PURPOSES`` is keyed by the federation's shared key (on the hub and on a
    plain site that is the site's own digest key, so their digests are unchanged).
    """
    person = purpose.encode("utf-8")
    if len(person) > 16:
        raise ValueError(f"digest purpose {purpose!r} is longer than 16 bytes")
    person = person.ljust(16, b"\0")
    ring = keyring()
    key = ring.shared_digest_key if purpose in SHARED_DIGEST_PURPOSES else ring.digest_key
    out = nacl.hash.blake2b(value.encode("utf-8"), key=key, person=person, digest_size=32)
    return out.decode("ascii")
