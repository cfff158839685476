"""The service's prescription signing key and the signed text format (decision 0012).

The key is derived from the sealing key file's digest key (which never rotates), so it lives
outside the database and survives ``rotate-keys``. The text a QR code carries is::

    PYRX1.<base64url canonical JSON payload>.<base64url Ed25519 signature>

Verification needs only the published public key: ``verify_text`` imports nothing from the
database, so ``pyithu prescription verify`` works offline.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.signing

PREFIX = "PYRX1"
PAYLOAD_KEYS = {"v", "id", "kid", "clinic", "prescriber", "issued", "valid_until", "items"}
ITEM_KEYS = {"medicine", "dose", "quantity"}
MAX_TEXT = 4000


class InvalidPrescription(Exception):
    """Not a prescription this service signed, or altered since."""


def signing_key() -> nacl.signing.SigningKey:
    from pyithu.core.sealing import keyring

    seed = nacl.hash.blake2b(
        b"",
        key=keyring().digest_key,
        person=b"pyithu-rx-sign",
        digest_size=32,
        encoder=nacl.encoding.RawEncoder,
    )
    return nacl.signing.SigningKey(seed)


def public_key_text(key: nacl.signing.VerifyKey | None = None) -> str:
    key = key or signing_key().verify_key
    return base64.b64encode(bytes(key)).decode("ascii")


def key_id(key: nacl.signing.VerifyKey) -> str:
    return nacl.hash.blake2b(bytes(key), digest_size=4).decode("ascii")


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(payload: dict[str, Any]) -> str:
    key = signing_key()
    payload = {**payload, "kid": key_id(key.verify_key)}
    body = canonical(payload)
    return f"{PREFIX}.{_b64(body)}.{_b64(key.sign(body).signature)}"


def verify_text(text: str, public_key: str | None = None) -> dict[str, Any]:
    """The payload of a genuine prescription, or ``InvalidPrescription``. Any input is safe."""
    text = "".join((text or "").split())[:MAX_TEXT]
    try:
        prefix, body_text, signature_text = text.split(".")
        if prefix != PREFIX:
            raise ValueError
        body, signature = _unb64(body_text), _unb64(signature_text)
        key = (
            nacl.signing.VerifyKey(base64.b64decode(public_key, validate=True))
            if public_key
            else signing_key().verify_key
        )
        key.verify(body, signature)
        payload = json.loads(body)
    except (ValueError, TypeError, binascii.Error, nacl.exceptions.CryptoError):
        raise InvalidPrescription from None
    if not isinstance(payload, dict) or set(payload) != PAYLOAD_KEYS:
        raise InvalidPrescription
    if not isinstance(payload["items"], list) or not all(
        isinstance(i, dict) and set(i) == ITEM_KEYS for i in payload["items"]
    ):
        raise InvalidPrescription
    return payload
