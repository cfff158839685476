"""Campaigns, donations and disbursements, each appended to the RFC 6962 transparency log."""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.core import audit
from pyithu.finance import keys, merkle
from pyithu.finance.models import (
    AccountKind,
    Campaign,
    Disbursement,
    Donation,
    LedgerAccount,
    LogLeaf,
    TreeHead,
)
from pyithu.finance.services import ledger
from pyithu.finance.services.ledger import LedgerError, TransferRequest
from pyithu.finance.services.wallets import client_of, limit_check, wallet_for
from pyithu.finance.transparency import donor_commitment, sth_message


def create_campaign(
    by: Any, slug: str, title_en: str, title_my: str, currency: str, goal: int
) -> Campaign:
    if not has_role(by, Role.BANK_OFFICER, "finance"):
        raise LedgerError(_("Only a bank officer can do this."))
    account = LedgerAccount.objects.create(currency_id=currency, kind=AccountKind.CAMPAIGN)
    campaign = Campaign.objects.create(
        slug=slug, title_en=title_en, title_my=title_my, account=account, goal=goal
    )
    audit.record(by, "finance.campaign_create", campaign, summary=slug)
    return campaign


# --- the log ----------------------------------------------------------------------------------


def _append(fields: dict[str, Any]) -> LogLeaf:
    """Append one leaf. The caller's transaction holds the log lock, so indexes never skip."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(6962)")
    index = LogLeaf.objects.count()
    data = json.dumps({"i": index, **fields}, separators=(",", ":"), sort_keys=True)
    return LogLeaf.objects.create(
        index=index, data=data, leaf_hash=merkle.leaf_hash(data.encode()).hex()
    )


def leaf_hashes(size: int | None = None) -> list[bytes]:
    rows = LogLeaf.objects.order_by("index").values_list("leaf_hash", flat=True)
    if size is not None:
        rows = rows[:size]
    return [bytes.fromhex(h) for h in rows]


def sign_tree_head() -> TreeHead:
    """Sign the current tree (one head per size; re-signing a size returns the first)."""
    hashes = leaf_hashes()
    size = len(hashes)
    existing = TreeHead.objects.filter(tree_size=size).first()
    if existing:
        return existing
    root_hex = merkle.root(hashes).hex()
    stamp = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    signature = keys.log_key().sign(sth_message(size, root_hex, stamp)).signature.hex()
    head, _created = TreeHead.objects.get_or_create(
        tree_size=size,
        defaults={"root_hash": root_hex, "timestamp": stamp, "signature": signature},
    )
    return head


def sth_dict(head: TreeHead) -> dict[str, Any]:
    return {
        "tree_size": head.tree_size,
        "root_hash": head.root_hash,
        "timestamp": head.timestamp,
        "signature": head.signature,
    }


def inclusion(index: int, size: int) -> list[str]:
    hashes = leaf_hashes(size)
    if not 0 <= index < size <= len(hashes) or len(hashes) < size:
        raise LedgerError(_("No such leaf in a tree of that size."))
    return [h.hex() for h in merkle.inclusion_proof(index, hashes)]


def consistency(first: int, second: int) -> list[str]:
    hashes = leaf_hashes(second)
    if not 0 < first <= second <= len(hashes):
        raise LedgerError(_("No such tree sizes."))
    return [h.hex() for h in merkle.consistency_proof(first, hashes)]


# --- money ------------------------------------------------------------------------------------


def donate(
    user: Any, campaign: Campaign, amount: int, key: str, anonymous: bool = True
) -> dict[str, Any]:
    """Give from the user's wallet. Returns the receipt the donor keeps (with its secret);
    the leaf holds only SHA-256(secret || donation id), so it names no one. A donor who is not
    anonymous is thanked by handle on the campaign page (never in the log)."""
    account = campaign.account
    wallet = wallet_for(user, account.currency_id)
    secret = secrets.token_hex(16)

    def run() -> Donation:
        if not campaign.is_open:
            raise LedgerError(_("This campaign is closed."))
        request = TransferRequest(wallet.pk, account.pk, amount, "donation", campaign.slug)
        transfer = ledger.transfer(client_of(user), key, request, limit_check(user))
        found = Donation.objects.filter(transfer=transfer).first()
        if found:
            raise LedgerError(_("This donation was already made; your receipt was shown then."))
        donation_id = str(transfer.pk)
        leaf = _append(
            {
                "type": "donation",
                "campaign": campaign.slug,
                "amount": amount,
                "currency": account.currency_id,
                "donation": donation_id,
                "commitment": donor_commitment(secret, donation_id),
            }
        )
        return Donation.objects.create(
            campaign=campaign, transfer=transfer, leaf_index=leaf.index, show_name=not anonymous
        )

    donation = ledger.in_transaction(run)
    head = sign_tree_head()
    return receipt(donation, secret, head)


def receipt(donation: Donation, secret: str, head: TreeHead) -> dict[str, Any]:
    leaf = LogLeaf.objects.get(index=donation.leaf_index)
    return {
        "code": receipt_code(leaf),
        "donation": str(donation.transfer_id),
        "secret": secret,
        "leaf_index": leaf.index,
        "leaf_data": leaf.data,
        "sth": sth_dict(head),
        "inclusion_proof": inclusion(leaf.index, head.tree_size),
        "public_key": keys.public_hex(keys.log_key()),
    }


def disburse(
    by: Any, campaign: Campaign, to: LedgerAccount, amount: int, purpose: str, key: str
) -> Disbursement:
    if not has_role(by, Role.BANK_OFFICER, "finance"):
        raise LedgerError(_("Only a bank officer can do this."))

    def run() -> Disbursement:
        request = TransferRequest(campaign.account_id, to.pk, amount, "disbursement", campaign.slug)
        transfer = ledger.transfer(client_of(by), key, request)
        found = Disbursement.objects.filter(transfer=transfer).first()
        if found:
            return found
        leaf = _append(
            {
                "type": "disbursement",
                "campaign": campaign.slug,
                "amount": amount,
                "currency": campaign.account.currency_id,
                "purpose": purpose[:200],
                "transfer": str(transfer.pk),
            }
        )
        return Disbursement.objects.create(
            campaign=campaign,
            transfer=transfer,
            purpose=purpose[:200],
            leaf_index=leaf.index,
            by=by,
        )

    disbursement = ledger.in_transaction(run)
    audit.record(by, "finance.disburse", disbursement, summary=f"{amount} {campaign.slug}")
    sign_tree_head()
    return disbursement


# --- receipt codes: what a donor types or scans ------------------------------------------------

BURMESE_DIGITS = str.maketrans("၀၁၂၃၄၅၆၇၈၉", "0123456789")
RECEIPT_CODE = re.compile(r"^\s*(\d{1,9})\s*[-\s.]\s*([0-9a-fA-F]{8})\s*$")


def receipt_code(leaf: LogLeaf) -> str:
    """Short enough to type from a paper receipt: the entry number and the first 8 hex digits
    of the entry's commitment (which names no one)."""
    return f"{leaf.index}-{json.loads(leaf.data)['commitment'][:8]}"


def find_by_receipt_code(code: str) -> dict[str, Any] | None:
    """The donation entry a receipt code points to, checked into today's signed tree, or None.

    The server checks its own log here, for a person with only the code; an independent check
    uses the full receipt and ``pyithu transparency verify``."""
    match = RECEIPT_CODE.match((code or "").translate(BURMESE_DIGITS))
    if match is None:
        return None
    index, prefix = int(match.group(1)), match.group(2).lower()
    leaf = LogLeaf.objects.filter(index=index).first()
    if leaf is None:
        return None
    data = json.loads(leaf.data)
    if data.get("type") != "donation" or not data["commitment"].startswith(prefix):
        return None
    head = sign_tree_head()
    proof = [bytes.fromhex(h) for h in inclusion(index, head.tree_size)]
    leaf_hash = merkle.leaf_hash(leaf.data.encode())
    if not merkle.verify_inclusion(
        leaf_hash, index, head.tree_size, proof, bytes.fromhex(head.root_hash)
    ):
        return None
    return {"leaf": data, "index": index, "head": head}
