"""The certificate signing key and the signed text format.

The key is derived from the sealing key file's digest key (never rotated), as the health and
finance services derive theirs, with its own purpose. The text a QR code carries is::

    PYCERT1.<base64url canonical JSON payload>.<base64url Ed25519 signature>

``verify_text`` touches no database, so ``pyithu certificate verify`` works offline with the
public key published on the verify page.
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

PREFIX = "PYCERT1"
PURPOSE = b"pyithu-cert-sign"  # BLAKE2b personalisation: at most 16 bytes
PAYLOAD_KEYS = {"v", "id", "kid", "holder", "name", "title", "school", "date", "result"}
MAX_TEXT = 4000


class InvalidCertificate(Exception):
    """Not a certificate this service signed, or altered since."""


def signing_key() -> nacl.signing.SigningKey:
    from pyithu.core.sealing import keyring

    seed = nacl.hash.blake2b(
        b"",
        key=keyring().digest_key,
        person=PURPOSE,
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
    body = canonical({**payload, "v": 1, "kid": key_id(key.verify_key)})
    return f"{PREFIX}.{_b64(body)}.{_b64(key.sign(body).signature)}"


def verify_text(text: str, public_key: str | None = None) -> dict[str, Any]:
    """The payload of a genuine certificate, or ``InvalidCertificate``. Any input is safe."""
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
        raise InvalidCertificate from None
    if not isinstance(payload, dict) or set(payload) != PAYLOAD_KEYS:
        raise InvalidCertificate
    if not all(isinstance(v, str | int) for v in payload.values()):
        raise InvalidCertificate
    return payload
