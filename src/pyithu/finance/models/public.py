"""The lottery and crowdfunding, with their public, verifiable records."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField
from pyithu.core.models import AppendOnlyError, Record
from pyithu.finance.models.ledger import Currency, LedgerAccount, Transfer


class LotteryState(models.TextChoices):
    OPEN = "open", _("selling tickets")
    CLOSED = "closed", _("sales closed")
    DRAWN = "drawn", _("drawn")


class Lottery(Record):
    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    name = models.CharField(_("name"), max_length=80)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    ticket_price = models.BigIntegerField(_("ticket price"))
    prizes = models.JSONField(_("prizes (minor units, in order)"))
    pool = models.OneToOneField(LedgerAccount, on_delete=models.PROTECT, related_name="+")
    commitment = models.CharField(max_length=64)  # SHA-256(seed), published before sales
    seed = SealedTextField(blank=True)  # hex, kept sealed until the reveal
    beacon_name = models.CharField(_("public random value"), max_length=200)
    beacon_value = models.CharField(max_length=200, blank=True)
    tickets_sold = models.PositiveIntegerField(default=0)
    tickets_hash = models.CharField(max_length=64, blank=True)
    revealed_seed = models.CharField(max_length=64, blank=True)
    winners = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=8, choices=LotteryState.choices, default="open")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lottery")
        verbose_name_plural = _("lotteries")

    def __str__(self) -> str:
        return self.name


class Ticket(Record):
    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    lottery = models.ForeignKey(Lottery, on_delete=models.PROTECT, related_name="tickets")
    number = models.PositiveIntegerField()
    wallet = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="+")
    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["lottery", "number"], name="ticket_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.lottery_id} #{self.number}"


class Campaign(Record):
    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    slug = models.SlugField(unique=True)
    title_en = models.CharField(_("title (English)"), max_length=120)
    title_my = models.CharField(_("title (Burmese)"), max_length=120)
    account = models.OneToOneField(LedgerAccount, on_delete=models.PROTECT, related_name="+")
    goal = models.BigIntegerField(_("goal"))
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.slug


class Donation(Record):
    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="donations")
    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="+")
    leaf_index = models.PositiveBigIntegerField()
    # The donor chose to be thanked by handle on the campaign page (the log never names anyone).
    show_name = models.BooleanField(_("thank me by name"), default=False)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")

    def __str__(self) -> str:
        return f"donation {self.leaf_index}"


class Disbursement(Record):
    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="disbursements")
    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=200)
    leaf_index = models.PositiveBigIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"disbursement {self.leaf_index}"


class _AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("transparency log records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("transparency log records cannot be deleted")


class LogLeaf(_AppendOnly):
    """One public record in the crowdfunding transparency log (RFC 6962 leaf)."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 60

    index = models.PositiveBigIntegerField(primary_key=True)
    data = models.TextField()  # canonical JSON, public
    leaf_hash = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["index"]

    def __str__(self) -> str:
        return f"leaf {self.index}"


class TreeHead(_AppendOnly):
    """A signed tree head: size, root and time, signed with the log's Ed25519 key."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 60

    tree_size = models.PositiveBigIntegerField(primary_key=True)
    root_hash = models.CharField(max_length=64)
    timestamp = models.CharField(max_length=40)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["tree_size"]

    def __str__(self) -> str:
        return f"tree head {self.tree_size}"
