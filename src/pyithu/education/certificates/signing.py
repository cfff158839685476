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
# A transcript also carries its courses: [[code, title, credits, grade, term], ...].
COURSES = "courses"
COURSE_TYPES = (str, str, int, str, str)


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
    if set(payload) - {COURSES} != PAYLOAD_KEYS:
        raise InvalidCertificate
    if not all(isinstance(v, str | int) for k, v in payload.items() if k != COURSES):
        raise InvalidCertificate
    if COURSES in payload and not _valid_courses(payload[COURSES]):
        raise InvalidCertificate
    return payload


def _valid_courses(courses: Any) -> bool:
    return isinstance(courses, list) and all(
        isinstance(row, list)
        and len(row) == len(COURSE_TYPES)
        and all(isinstance(v, t) for v, t in zip(row, COURSE_TYPES, strict=True))
        for row in courses
    )
