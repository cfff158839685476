"""The finance service's Ed25519 keys, derived from the (never rotated) digest key, so they
live outside the database and survive key rotation; public halves are published."""

from __future__ import annotations

import nacl.encoding
import nacl.signing

from pyithu.core.signing import derived_signing_key as signing_key


def log_key() -> nacl.signing.SigningKey:
    return signing_key(b"pyithu-tlog-sth")


def payment_key() -> nacl.signing.SigningKey:
    return signing_key(b"pyithu-pay-qr")


def public_hex(key: nacl.signing.SigningKey) -> str:
    return key.verify_key.encode(encoder=nacl.encoding.HexEncoder).decode()
