"""The double-entry ledger: currencies, accounts, transfers and their immutable entries.

Amounts are integers in the currency's minor unit. An account's ``balance`` is its posted
credits minus its posted debits; ``pending_debits`` is money reserved by pending transfers.
Balances change only in ``finance.services.ledger`` (one locked, ordered, conditional update).

Sync: money stays central, so every ledger and product model is ``"local"`` (its
``SYNC_PRIORITY`` of 100 is only a declaration; local records never travel). The public
transparency log (``LogLeaf``, ``TreeHead``) is ``"append_only"`` so nodes can show and
witness it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField
from pyithu.core.models import AppendOnlyError, Record


class Currency(models.Model):
    """A unit of account; ``exponent`` is the number of minor-unit decimal places."""

    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    exponent = models.PositiveSmallIntegerField(_("decimal places"))
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")
        constraints = [models.CheckConstraint(condition=Q(exponent__lte=9), name="currency_exp")]

    def __str__(self) -> str:
        return self.code


class AccountKind(models.TextChoices):
    CUSTOMER = "customer", _("customer wallet")
    SETTLEMENT = "settlement", _("bank settlement")
    FEE = "fee", _("fee income")
    FLOAT = "float", _("agent float")
    EXCHANGE = "exchange", _("exchange position")
    DEPOSIT = "deposit", _("fixed deposit")
    INTEREST = "interest", _("interest expense")
    LOTTERY = "lottery", _("lottery pool")
    CAMPAIGN = "campaign", _("campaign")
    MERCHANT = "merchant", _("merchant")


class LedgerAccount(Record):
    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
    )
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(_("kind"), max_length=16, choices=AccountKind.choices)
    # A short non-personal label for the bank's own accounts ("settlement", "fee:exchange").
    label = models.CharField(_("label"), max_length=64, blank=True)
    allow_overdraft = models.BooleanField(_("may go below zero"), default=False)
    balance = models.BigIntegerField(_("balance"), default=0)
    pending_debits = models.BigIntegerField(_("reserved"), default=0)
    pending_credits = models.BigIntegerField(_("incoming"), default=0)
    version = models.BigIntegerField(default=0)
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            # The last line of defence: even a buggy UPDATE cannot overdraw a customer.
            models.CheckConstraint(
                condition=Q(allow_overdraft=True) | Q(balance__gte=F("pending_debits")),
                name="ledgeraccount_no_overdraft",
            ),
            models.CheckConstraint(
                condition=Q(pending_debits__gte=0) & Q(pending_credits__gte=0),
                name="ledgeraccount_pending_nonneg",
            ),
            # Within ±2^62 (services.ledger.BALANCE_LIMIT): no sum of two values overflows
            # 64 bits, and SQLite never turns an overflowing integer into a REAL.
            models.CheckConstraint(
                condition=Q(balance__gte=-(2**62))
                & Q(balance__lte=2**62)
                & Q(pending_debits__lte=2**62)
                & Q(pending_credits__lte=2**62),
                name="ledgeraccount_within_limits",
            ),
            models.UniqueConstraint(
                fields=["kind", "currency", "label"],
                condition=Q(owner__isnull=True) & ~Q(label=""),
                name="ledgeraccount_system_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.currency_id}:{self.label or str(self.pk)[-8:]}"

    @property
    def available(self) -> int:
        return self.balance - self.pending_debits


class TransferState(models.TextChoices):
    PENDING = "pending", _("pending")
    POSTED = "posted", _("posted")
    VOIDED = "voided", _("voided")


class Transfer(Record):
    """One movement of money from a debit account to a credit account of the same currency."""

    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    # Who sent the request ("user:<id>", "system", "agent:<id>"); keys are unique per client.
    client = models.CharField(max_length=80)
    idempotency_key = models.CharField(max_length=128)
    request_digest = models.CharField(max_length=64)
    debit_account = models.ForeignKey(
        LedgerAccount, on_delete=models.PROTECT, related_name="debit_transfers"
    )
    credit_account = models.ForeignKey(
        LedgerAccount, on_delete=models.PROTECT, related_name="credit_transfers"
    )
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(_("amount"))
    kind = models.CharField(_("kind"), max_length=32, default="transfer")
    # Non-personal reference shown on statements (a campaign slug, a merchant's invoice text).
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    # The payer's free-text note: it may say who or why, so it is sealed at rest.
    note = SealedTextField(_("note"), blank=True)
    state = models.CharField(max_length=8, choices=TransferState.choices)
    timeout_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    reversal_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(fields=["client", "idempotency_key"], name="transfer_idem"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(debit_account=F("credit_account")), name="transfer_two_accounts"
            ),
        ]
        indexes = [models.Index(fields=["state", "timeout_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency_id} {self.state}"


class Entry(models.Model):
    """One side of a posted transfer. Append-only: corrections are reversing transfers."""

    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    id = models.BigAutoField(primary_key=True)
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    # Signed: negative for the debit side, positive for the credit side.
    amount = models.BigIntegerField()
    balance_after = models.BigIntegerField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        indexes = [models.Index(fields=["account", "id"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount:+d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("ledger entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("ledger entries cannot be deleted")
