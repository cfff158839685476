"""Customers and their products: tiers, exchange rates, fixed deposits, agents, merchants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pyithu.core.models import Record
from pyithu.finance.models.ledger import Currency, LedgerAccount, Transfer


class Tier(models.TextChoices):
    PSEUDONYMOUS = "pseudonymous", _("pseudonymous")
    VERIFIED = "verified", _("verified")


class Customer(Record):
    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bank_customer"
    )
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, default="pseudonymous")

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return f"{self.user} ({self.tier})"


class ExchangeRate(Record):
    """How many major units of ``quote`` one major unit of ``base`` buys (officer-set).
    Rows are never edited: the newest row for a pair is the rate in force."""

    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    base = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    quote = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    rate = models.DecimalField(_("rate"), max_digits=24, decimal_places=9)
    spread_bps = models.PositiveIntegerField(_("spread (basis points)"), default=100)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0), name="rate_positive"),
            models.CheckConstraint(condition=Q(spread_bps__lt=5000), name="spread_sane"),
        ]

    def __str__(self) -> str:
        return f"1 {self.base_id} = {self.rate} {self.quote_id}"


class DepositState(models.TextChoices):
    OPEN = "open", _("open")
    MATURED = "matured", _("paid at maturity")
    WITHDRAWN = "withdrawn", _("withdrawn early")


class FixedDeposit(Record):
    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fixed_deposits"
    )
    wallet = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="+")
    account = models.OneToOneField(LedgerAccount, on_delete=models.PROTECT, related_name="+")
    principal = models.BigIntegerField(_("principal"))
    rate_bps = models.PositiveIntegerField(_("yearly rate (basis points)"))
    penalty_bps = models.PositiveIntegerField(_("early withdrawal penalty (basis points)"))
    term_days = models.PositiveIntegerField(_("term (days)"))
    opened_on = models.DateField(_("opened"))
    matures_on = models.DateField(_("matures"))
    accrued_days = models.PositiveIntegerField(default=0)
    accrued = models.BigIntegerField(_("interest so far"), default=0)
    state = models.CharField(max_length=10, choices=DepositState.choices, default="open")

    class Meta:
        ordering = ["-opened_on"]
        verbose_name = _("fixed deposit")
        verbose_name_plural = _("fixed deposits")

    def __str__(self) -> str:
        return f"{self.principal} {self.account.currency_id} {self.rate_bps}bps {self.term_days}d"


class Agent(Record):
    """An authorised cash agent in a township (or abroad, for remittance)."""

    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bank_agent"
    )
    township = models.ForeignKey(
        "geo.Township", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    country = models.CharField(_("country"), max_length=2, default="MM")
    daily_limit = models.BigIntegerField(_("daily limit (per currency, minor units)"))
    commission_bps = models.PositiveIntegerField(_("commission (basis points)"), default=50)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return f"agent {self.user}"


class CodedKind(models.TextChoices):
    CASH_OUT = "cash_out", _("cash-out")
    REMITTANCE = "remittance", _("remittance")


class CodedTransfer(Record):
    """A pending transfer released by a one-time code (only its keyed digest is stored)."""

    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    kind = models.CharField(max_length=16, choices=CodedKind.choices)
    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="+")
    code_digest = models.CharField(max_length=64, unique=True)
    completed_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("coded transfer")
        verbose_name_plural = _("coded transfers")

    def __str__(self) -> str:
        return f"{self.kind} {self.transfer_id}"


class Merchant(Record):
    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="merchant"
    )
    # A trading name is public by nature (it is printed on the QR sign).
    name = models.CharField(_("business name"), max_length=80)

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")

    def __str__(self) -> str:
        return self.name
