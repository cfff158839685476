"""The finance service's Ed25519 keys, derived from the (never rotated) digest key, so they
live outside the database and survive key rotation; public halves are published."""

from __future__ import annotations

import nacl.encoding
import nacl.hash
import nacl.signing

from pyithu.core.sealing import keyring


def signing_key(purpose: bytes) -> nacl.signing.SigningKey:
    seed = nacl.hash.blake2b(
        b"",
        key=keyring().digest_key,
        person=purpose[:16],
        digest_size=32,
        encoder=nacl.encoding.RawEncoder,
    )
    return nacl.signing.SigningKey(seed)


def log_key() -> nacl.signing.SigningKey:
    return signing_key(b"pyithu-tlog-sth")


def payment_key() -> nacl.signing.SigningKey:
    return signing_key(b"pyithu-pay-qr")


def public_hex(key: nacl.signing.SigningKey) -> str:
    return key.verify_key.encode(encoder=nacl.encoding.HexEncoder).decode()
