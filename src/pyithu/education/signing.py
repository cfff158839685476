"""The certificate signing key and the signed text format.

The key is derived from the sealing key file's digest key (never rotated), as the health and
finance services derive theirs, with its own purpose. The text a QR code carries is::

    PYCERT1.<base64url canonical JSON payload>.<base64url Ed25519 signature>

``verify_text`` touches no database, so ``pyithu certificate verify`` works offline with the
public key published on the verify page.
"""

from __future__ import annotations

from typing import Any

import nacl.signing

from pyithu.core.signing import SignedTextFormat

PREFIX = "PYCERT1"
PURPOSE = b"pyithu-cert-sign"  # BLAKE2b personalisation: at most 16 bytes
PAYLOAD_KEYS = {"v", "id", "kid", "holder", "name", "title", "school", "date", "result"}


class InvalidCertificate(Exception):
    """Not a certificate this service signed, or altered since."""


FORMAT = SignedTextFormat(PREFIX, PURPOSE, InvalidCertificate)


def signing_key() -> nacl.signing.SigningKey:
    return FORMAT.signing_key()


def public_key_text(key: nacl.signing.VerifyKey | None = None) -> str:
    return FORMAT.public_key_text(key)


def sign(payload: dict[str, Any]) -> str:
    return FORMAT.sign({**payload, "v": 1})


def verify_text(text: str, public_key: str | None = None) -> dict[str, Any]:
    """The payload of a genuine text, or ``InvalidCertificate``. Any input is safe."""
    payload = FORMAT.open(text, public_key)
    if set(payload) != PAYLOAD_KEYS:
        raise InvalidCertificate
    if not all(isinstance(v, str | int) for v in payload.values()):
        raise InvalidCertificate
    return payload
