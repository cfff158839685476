"""The hub's signed list of its current addresses (mirrors, an onion address), decision 0027.

    PYMIR1.<base64url canonical JSON {"seq", "issued", "addresses", "kid"}>.<Ed25519 signature>

Signed with a key derived for this purpose (``core.signing``); anyone holding the published
public key checks a list offline, and refuses a tampered list or one not newer than the last it
trusted (``seq`` only grows).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from pyithu.core.signing import SignedTextFormat


class MirrorListError(Exception):
    """A list that is not the hub's, is damaged, or is older than one already trusted."""


FORMAT = SignedTextFormat("PYMIR1", b"pyithu-mirrors", MirrorListError)
MAX_ADDRESSES = 20


def sign_list(addresses: list[str], seq: int) -> str:
    clean = [a.strip() for a in addresses if a.strip()]
    if not clean or len(clean) > MAX_ADDRESSES or any(len(a) > 200 for a in clean):
        raise MirrorListError(f"give 1 to {MAX_ADDRESSES} addresses of at most 200 characters")
    if seq < 1:
        raise MirrorListError("the sequence number starts at 1")
    return FORMAT.sign({"seq": seq, "issued": timezone.now().isoformat(), "addresses": clean})


def public_key() -> str:
    return FORMAT.public_key_text()


def verify_list(text: str, key: str | None = None, newer_than: int = 0) -> dict[str, Any]:
    """The list's payload, or ``MirrorListError`` (tampered, wrong key, or not newer)."""
    try:
        payload = FORMAT.open(text, key)
    except MirrorListError:
        raise MirrorListError(
            "this list is not signed by the hub's key, or it was altered"
        ) from None
    seq = payload.get("seq")
    if not isinstance(seq, int) or not isinstance(payload.get("addresses"), list):
        raise MirrorListError("this list is damaged")
    if seq <= newer_than:
        raise MirrorListError(
            f"this list (number {seq}) is not newer than the one already trusted ({newer_than})"
        )
    return payload
