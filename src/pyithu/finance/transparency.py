"""Checking transparency-log receipts and signed tree heads, with no database.

An STH is signed over the ASCII text ``pyithu-tlog-v1\\n<tree size>\\n<root hex>\\n<timestamp>``
with the log's Ed25519 key. A receipt carries the donation id, the donor's secret, the leaf
data, the leaf index, an STH and the inclusion proof.
"""

from __future__ import annotations

import hashlib
import json

import nacl.exceptions
import nacl.signing

from pyithu.finance import merkle


def published_log_key() -> str | None:
    """This installation's log key (hex), if it has the key file; None on a bare laptop."""
    from pathlib import Path

    from django.conf import settings

    from pyithu.finance import keys

    if not (settings.PYITHU_KEYS_JSON or Path(settings.PYITHU_KEY_FILE).exists()):
        return None  # never make up a key: the caller is asked for --key
    try:
        return keys.public_hex(keys.log_key())
    except Exception:  # a locked node, a broken key file: the caller is asked for --key
        return None


def sth_message(size: int, root_hex: str, timestamp: str) -> bytes:
    return f"pyithu-tlog-v1\n{size}\n{root_hex}\n{timestamp}".encode("ascii")


def donor_commitment(secret: str, donation_id: str) -> str:
    return hashlib.sha256(secret.encode() + donation_id.encode()).hexdigest()


def check_sth(sth: dict, public_key_hex: str) -> bool:
    try:
        key = nacl.signing.VerifyKey(bytes.fromhex(public_key_hex))
        key.verify(
            sth_message(int(sth["tree_size"]), sth["root_hash"], sth["timestamp"]),
            bytes.fromhex(sth["signature"]),
        )
    except (nacl.exceptions.BadSignatureError, ValueError, KeyError, TypeError):
        return False
    return True


def check_receipt(receipt: dict, public_key_hex: str) -> list[str]:
    """What is wrong with a receipt, checked against the log's published key (never the key a
    receipt carries: anyone can sign a receipt with a key of their own)."""
    problems = []
    sth = receipt["sth"]
    if not check_sth(sth, public_key_hex):
        problems.append("the tree head's signature is not the log's")
    data = receipt["leaf_data"]
    fields = json.loads(data)
    if fields.get("commitment") != donor_commitment(receipt["secret"], receipt["donation"]):
        problems.append("the leaf does not commit to this donor secret and donation")
    ok = merkle.verify_inclusion(
        merkle.leaf_hash(data.encode()),
        int(receipt["leaf_index"]),
        int(sth["tree_size"]),
        [bytes.fromhex(p) for p in receipt["inclusion_proof"]],
        bytes.fromhex(sth["root_hash"]),
    )
    if not ok:
        problems.append("the inclusion proof does not lead to the signed root")
    return problems


def check_extends(old: dict, new: dict, proof_hex: list[str], public_key_hex: str) -> list[str]:
    problems = []
    if not (check_sth(old, public_key_hex) and check_sth(new, public_key_hex)):
        problems.append("a tree head's signature is not the log's")
    ok = merkle.verify_consistency(
        int(old["tree_size"]),
        int(new["tree_size"]),
        bytes.fromhex(old["root_hash"]),
        bytes.fromhex(new["root_hash"]),
        [bytes.fromhex(p) for p in proof_hex],
    )
    if not ok:
        problems.append("the later tree does not extend the earlier one")
    return problems
