"""Signed texts a QR code can carry and anyone can check offline with a published key.

    <PREFIX>.<base64url canonical JSON payload>.<base64url Ed25519 signature>

Each use (prescriptions, certificates, ...) has its own prefix and its own key, derived from
the sealing key file's digest key (never rotated, never in the database) with a per-purpose
BLAKE2b personalisation. ``SignedTextFormat.open`` touches no database when given the public
key, so offline verifier commands work on a laptop with no copy of the data.
"""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path
from typing import Any

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.signing

MAX_TEXT = 4000


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def key_id(key: nacl.signing.VerifyKey) -> str:
    return nacl.hash.blake2b(bytes(key), digest_size=4).decode("ascii")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    """Strict base64url without padding: exactly one spelling of each byte string is accepted
    (stray characters, padding or non-zero trailing bits would give a second one)."""
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(raw) != text:
        raise ValueError("not canonical base64url")
    return raw


def derived_signing_key(purpose: bytes) -> nacl.signing.SigningKey:
    """The Ed25519 key for one purpose, derived from the key file's never-rotated digest key."""
    from pyithu.core.sealing import keyring

    if len(purpose) > 16:
        raise ValueError("a signing purpose is at most 16 bytes (BLAKE2b personalisation)")
    seed = nacl.hash.blake2b(
        b"",
        key=keyring().digest_key,
        person=purpose,
        digest_size=32,
        encoder=nacl.encoding.RawEncoder,
    )
    return nacl.signing.SigningKey(seed)


class SignedTextFormat:
    def __init__(self, prefix: str, purpose: bytes, error: type[Exception]) -> None:
        if len(purpose) > 16:
            raise ValueError("a signing purpose is at most 16 bytes (BLAKE2b personalisation)")
        self.prefix, self.purpose, self.error = prefix, purpose, error

    def signing_key(self) -> nacl.signing.SigningKey:
        return derived_signing_key(self.purpose)

    def public_key_text(self, key: nacl.signing.VerifyKey | None = None) -> str:
        key = key or self.signing_key().verify_key
        return base64.b64encode(bytes(key)).decode("ascii")

    def sign(self, payload: dict[str, Any]) -> str:
        key = self.signing_key()
        body = canonical({**payload, "kid": key_id(key.verify_key)})
        text = f"{self.prefix}.{_b64(body)}.{_b64(key.sign(body).signature)}"
        if len(text) > MAX_TEXT:
            raise ValueError(f"a signed text is at most {MAX_TEXT} characters")
        return text

    def open(self, text: str, public_key: str | None = None) -> dict[str, Any]:
        """The signed payload, or ``self.error`` for anything else. Any input is safe."""
        text = "".join((text or "").split())
        if len(text) > MAX_TEXT:
            raise self.error  # never cut: a longer text is not one we signed
        try:
            prefix, body_text, signature_text = text.split(".")
            if prefix != self.prefix:
                raise ValueError
            body, signature = _unb64(body_text), _unb64(signature_text)
            key = (
                nacl.signing.VerifyKey(base64.b64decode(public_key, validate=True))
                if public_key
                else self.signing_key().verify_key
            )
            key.verify(body, signature)
            payload = json.loads(body)
            if not isinstance(payload, dict) or canonical(payload) != body:
                raise ValueError("not the canonical form we sign")
        except (ValueError, TypeError, binascii.Error, nacl.exceptions.CryptoError):
            raise self.error from None
        if not isinstance(payload, dict):
            raise self.error
        return payload


def read_signed_source(source: str, prefix: str) -> str:
    """For offline verifier commands: the signed text itself, or the file that holds it."""
    if source.strip().startswith(prefix):
        return source
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {source}: {exc}") from exc
