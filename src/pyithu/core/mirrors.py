"""The hub's signed list of its current addresses (mirrors, an onion address), decision 0027.

    PYMIR1.<base64url canonical JSON {"seq", "issued", "addresses", "kid"}>.<Ed25519 signature>

Signed with a key derived for this purpose (``core.signing``), published (``pyithu mirrors
key``, the page ``/mirrors/``); anyone holding the public key checks a list offline and refuses
a tampered list or one not newer than the last it trusted (``seq`` only grows). The hub keeps
each list it publishes as a ``MirrorList`` record, which travels to every node; the page, the
Telegram bot and SMS HELP hand the newest one on.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pyithu.core import site
from pyithu.core.models import MirrorList
from pyithu.core.signing import SignedTextFormat


class MirrorListError(Exception):
    """A list that is not the hub's, is damaged, or is older than one already trusted."""


FORMAT = SignedTextFormat("PYMIR1", b"pyithu-mirrors", MirrorListError)
MAX_ADDRESSES = 20
SHORT_CHARS = 160  # one plain-text SMS


def sign_list(addresses: list[str], seq: int) -> str:
    clean = [a.strip() for a in addresses if a.strip()]
    if not clean or len(clean) > MAX_ADDRESSES or any(len(a) > 200 for a in clean):
        raise MirrorListError(f"give 1 to {MAX_ADDRESSES} addresses of at most 200 characters")
    if any(" " in a or not a.isascii() for a in clean):
        raise MirrorListError("an address is written in plain ASCII with no spaces")
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
    addresses = payload.get("addresses")
    if not isinstance(seq, int) or not isinstance(addresses, list) or not addresses:
        raise MirrorListError("this list is damaged")
    if seq <= newer_than:
        raise MirrorListError(
            f"this list (number {seq}) is not newer than the one already trusted ({newer_than})"
        )
    return payload


def publish(addresses: list[str], seq: int | None = None) -> MirrorList:
    """On the hub: sign the list (numbered after the last one) and keep it, so it travels."""
    if not site.is_hub():
        raise MirrorListError("only the hub publishes its address list")
    with transaction.atomic():
        last = MirrorList.objects.aggregate(m=Max("seq"))["m"] or 0
        seq = last + 1 if seq is None else seq
        if seq <= last:
            raise MirrorListError(f"the next list must be numbered above {last}")
        text = sign_list(addresses, seq)
        return MirrorList.objects.create(seq=seq, text=text, public_key=public_key())


def current() -> dict[str, Any] | None:
    """The newest list this site holds that the hub made and that verifies, as
    ``{"seq", "issued", "addresses", "text", "key"}``; None when there is none."""
    rows = list(MirrorList.objects.order_by("-seq")[:5])
    trusted = site.made_by_hub(MirrorList, [r.pk for r in rows])
    for row in rows:
        if str(row.pk) not in trusted:
            continue
        try:
            payload = verify_list(row.text, row.public_key)
        except MirrorListError:
            continue
        if payload["seq"] == row.seq:
            return {**payload, "text": row.text, "key": row.public_key}
    return None


def short_form() -> str:
    """The addresses in one plain SMS (at most 160 characters), or "" when none is held."""
    found = current()
    if found is None:
        return ""
    text = "Pyithu:"
    for address in found["addresses"]:
        if len(text) + 1 + len(address) > SHORT_CHARS:
            break
        text += " " + address
    return text if text != "Pyithu:" else ""
