"""The service's prescription signing key and the signed text format (decision 0012).

The key is derived from the sealing key file's digest key (which never rotates), so it lives
outside the database and survives ``rotate-keys``. The text a QR code carries is::

    PYRX1.<base64url canonical JSON payload>.<base64url Ed25519 signature>

Verification needs only the published public key: ``verify_text`` imports nothing from the
database, so ``pyithu prescription verify`` works offline.
"""

from __future__ import annotations

from typing import Any

import nacl.signing

from pyithu.core.signing import SignedTextFormat

PREFIX = "PYRX1"
PAYLOAD_KEYS = {"v", "id", "kid", "clinic", "prescriber", "issued", "valid_until", "items"}
ITEM_KEYS = {"medicine", "dose", "quantity"}


class InvalidPrescription(Exception):
    """Not a prescription this service signed, or altered since."""


FORMAT = SignedTextFormat(PREFIX, b"pyithu-rx-sign", InvalidPrescription)


def signing_key() -> nacl.signing.SigningKey:
    return FORMAT.signing_key()


def public_key_text(key: nacl.signing.VerifyKey | None = None) -> str:
    return FORMAT.public_key_text(key)


def sign(payload: dict[str, Any]) -> str:
    return FORMAT.sign(payload)


def verify_text(text: str, public_key: str | None = None) -> dict[str, Any]:
    """The payload of a genuine text, or ``InvalidPrescription``. Any input is safe."""
    payload = FORMAT.open(text, public_key)
    if set(payload) != PAYLOAD_KEYS:
        raise InvalidPrescription
    if not isinstance(payload["items"], list) or not all(
        isinstance(i, dict) and set(i) == ITEM_KEYS for i in payload["items"]
    ):
        raise InvalidPrescription
    return payload
