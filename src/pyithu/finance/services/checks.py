"""`pyithu ledger check`: prove the ledger's invariants from the rows themselves."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from pyithu.finance.models import Entry, LedgerAccount, Transfer, TransferState


def ledger_problems() -> list[str]:
    """Every broken invariant as one line; an empty list means the books balance."""
    problems: list[str] = []
    per_currency = (
        LedgerAccount.objects.values("currency_id")
        .annotate(total=Sum("balance"), out=Sum("pending_debits"), inc=Sum("pending_credits"))
        .order_by("currency_id")
    )
    for row in per_currency:
        if row["total"] != 0:
            problems.append(f"{row['currency_id']}: balances sum to {row['total']}, not 0")
        if row["out"] != row["inc"]:
            problems.append(f"{row['currency_id']}: reserved {row['out']} != incoming {row['inc']}")
    overdrawn = LedgerAccount.objects.filter(allow_overdraft=False, balance__lt=F("pending_debits"))
    for account in overdrawn:
        problems.append(f"{account}: available {account.available} is below zero")
    accounts = LedgerAccount.objects.annotate(
        entries_sum=Coalesce(Sum("entries__amount"), 0),
    ).values("pk", "balance", "entries_sum")
    for row in accounts:
        if row["balance"] != row["entries_sum"]:
            problems.append(
                f"{row['pk']}: balance {row['balance']} != entries {row['entries_sum']}"
            )
    pending = Transfer.objects.filter(state=TransferState.PENDING)
    reserved = dict(
        pending.values("debit_account_id")
        .annotate(s=Sum("amount"))
        .values_list("debit_account_id", "s")
    )
    incoming = dict(
        pending.values("credit_account_id")
        .annotate(s=Sum("amount"))
        .values_list("credit_account_id", "s")
    )
    for pk, out, inc in LedgerAccount.objects.values_list(
        "pk", "pending_debits", "pending_credits"
    ):
        if out != reserved.get(pk, 0) or inc != incoming.get(pk, 0):
            problems.append(f"{pk}: reservations disagree with pending transfers")
    bad_transfers = (
        Transfer.objects.annotate(n=Count("entries"), s=Coalesce(Sum("entries__amount"), 0))
        .filter(
            (Q(state=TransferState.POSTED) & (~Q(n=2) | ~Q(s=0)))
            | (~Q(state=TransferState.POSTED) & ~Q(n=0))
        )
        .values_list("pk", flat=True)
    )
    problems.extend(f"transfer {pk}: entries do not match its state" for pk in bad_transfers)
    crossed = Entry.objects.exclude(
        Q(amount__lt=0, account=F("transfer__debit_account"))
        | Q(amount__gt=0, account=F("transfer__credit_account"))
    ).count()
    if crossed:
        problems.append(f"{crossed} entries on an account their transfer does not name")
    return problems


def ledger_summary() -> list[dict[str, object]]:
    """Per currency: accounts, total customer money, reserved; for the officer's books page."""
    return list(
        LedgerAccount.objects.values("currency_id")
        .annotate(
            accounts=Count("pk"),
            total=Sum("balance"),
            reserved=Sum("pending_debits"),
            customers=Coalesce(Sum("balance", filter=Q(owner__isnull=False)), 0),
        )
        .order_by("currency_id")
    )
