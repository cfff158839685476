"""A site's sync identity: an Ed25519 signing key and an X25519 key for receiving bundles.

Both secret keys live in one file, locked with a key derived from the operator's passphrase
(Argon2id, then XSalsa20-Poly1305). The public half (node id and public keys) is stored beside
the lock in clear, so anyone can read *who* the site is but a seized file reveals no secret.
The node id is derived from the signing key: it cannot be claimed by another key.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.public
import nacl.pwhash
import nacl.secret
import nacl.signing
import nacl.utils

FORMAT = "pyithu-node-key-1"
# Interactive limits: about a tenth of a second and 64 MiB on a Raspberry Pi 4.
OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE


class IdentityError(Exception):
    """The identity file is missing, malformed, or the passphrase is wrong."""


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def node_id_for(verify_key: bytes) -> str:
    digest = nacl.hash.blake2b(
        verify_key, digest_size=10, person=b"pyithu-node-id", encoder=nacl.encoding.HexEncoder
    )
    return "n" + digest.decode("ascii")


@dataclass(frozen=True)
class PublicCard:
    """What a site tells others about itself: enough to verify it and to encrypt to it."""

    node_id: str
    verify_key: str
    box_key: str

    def to_json(self) -> str:
        return json.dumps(
            {"node_id": self.node_id, "verify_key": self.verify_key, "box_key": self.box_key},
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> PublicCard:
        try:
            data = json.loads(text)
            card = cls(str(data["node_id"]), str(data["verify_key"]), str(data["box_key"]))
            verify = unb64(card.verify_key)
            box = unb64(card.box_key)
        except (ValueError, KeyError, TypeError) as exc:
            raise IdentityError(f"not a node card: {exc}") from exc
        if len(verify) != 32 or len(box) != 32 or node_id_for(verify) != card.node_id:
            raise IdentityError("the node card's id does not match its signing key")
        return card


@dataclass(frozen=True)
class Identity:
    signing_key: nacl.signing.SigningKey
    box_key: nacl.public.PrivateKey

    @property
    def node_id(self) -> str:
        return node_id_for(bytes(self.signing_key.verify_key))

    @property
    def card(self) -> PublicCard:
        return PublicCard(
            self.node_id,
            b64(bytes(self.signing_key.verify_key)),
            b64(bytes(self.box_key.public_key)),
        )

    def sign(self, message: bytes) -> bytes:
        return self.signing_key.sign(message).signature

    @classmethod
    def generate(cls) -> Identity:
        return cls(nacl.signing.SigningKey.generate(), nacl.public.PrivateKey.generate())


def derive_lock_key(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    """The key that locks a file, from the operator passphrase (Argon2id)."""
    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        passphrase.encode("utf-8"),
        salt,
        opslimit=opslimit,
        memlimit=memlimit,
    )


def write_identity(
    identity: Identity,
    path: Path,
    passphrase: str,
    *,
    opslimit: int = OPSLIMIT,
    memlimit: int = MEMLIMIT,
) -> None:
    """Lock the secret keys with the passphrase and write the file atomically, mode 600."""
    if len(passphrase) < 12:
        raise IdentityError("the operator passphrase must be at least 12 characters")
    if path.exists():
        raise IdentityError(f"{path} already exists: wipe it first to make a new identity")
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    secret = json.dumps(
        {"sign": b64(bytes(identity.signing_key)), "box": b64(bytes(identity.box_key))}
    ).encode("utf-8")
    box = nacl.secret.SecretBox(derive_lock_key(passphrase, salt, opslimit, memlimit))
    data = {
        "format": FORMAT,
        "public": json.loads(identity.card.to_json()),
        "kdf": {"alg": "argon2id", "salt": b64(salt), "ops": opslimit, "mem": memlimit},
        "locked": b64(box.encrypt(secret)),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".node-key-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IdentityError(f"no node identity at {path}: run `pyithu node init`") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise IdentityError(f"{path} is not a node identity file") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise IdentityError(f"{path} is not a node identity file")
    return data


def read_card(path: Path) -> PublicCard:
    """The public half, readable without the passphrase."""
    return PublicCard.from_json(json.dumps(_read(path)["public"]))


def unlock_identity(path: Path, passphrase: str) -> Identity:
    data = _read(path)
    try:
        kdf = data["kdf"]
        key = derive_lock_key(passphrase, unb64(kdf["salt"]), int(kdf["ops"]), int(kdf["mem"]))
        secret = json.loads(nacl.secret.SecretBox(key).decrypt(unb64(data["locked"])))
        identity = Identity(
            nacl.signing.SigningKey(unb64(secret["sign"])),
            nacl.public.PrivateKey(unb64(secret["box"])),
        )
    except nacl.exceptions.CryptoError:
        raise IdentityError("wrong passphrase for the node identity") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise IdentityError(f"{path} is damaged: {exc}") from exc
    if identity.card != read_card(path):
        raise IdentityError(f"{path} is damaged: public and secret halves differ")
    return identity


def destroy_file(path: Path) -> bool:
    """Overwrite with random bytes, flush to disk, then unlink. True when a file was there."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    with open(path, "r+b") as fh:
        fh.write(os.urandom(max(size, 1)))
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()
    return True
