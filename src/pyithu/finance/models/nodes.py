"""Money at a township node during a shutdown (decision 0026).

The hub sets money aside for a node *before* the link goes: a float (``FloatAllotment``) and
codes whose funds are already held (``NodePayout``: a customer's cash-out, a remittance). The
node spends only against those and records each operation as a ``NodeIntent`` numbered per
node; the hub applies intents in that order when they arrive and answers each with an
``IntentOutcome`` that travels back. The hub's own bookkeeping (``NodeMoneyState``) stays local.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField
from pyithu.core.models import Record


class FloatAllotment(Record):
    """Money the hub moved into a node's float account (hub → every node; each node counts only
    its own, and only when the hub made it). No person is named: a node id and a sum."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 2

    node_id = models.CharField(max_length=64, db_index=True)
    currency = models.CharField(max_length=8)
    amount = models.BigIntegerField()
    transfer_id = models.UUIDField(unique=True)  # the hub's ledger transfer that funded it

    class Meta:
        verbose_name = _("float allotment")
        verbose_name_plural = _("float allotments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="allotment_positive")]


class PayoutKind(models.TextChoices):
    CASH_OUT = "cash_out", _("cash-out")
    REMITTANCE = "remittance", _("remittance pay-out")


class NodePayout(Record):
    """Cash one node may hand over against a one-time code, its funds held on the hub. Only the
    code's keyed digest travels (shared lookup key, 0057); no wallet is named."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 2

    node_id = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=16, choices=PayoutKind.choices)
    code_digest = models.CharField(max_length=64, unique=True)
    currency = models.CharField(max_length=8)
    amount = models.BigIntegerField()
    expires_at = models.DateTimeField()
    transfer_id = models.UUIDField(unique=True)  # the hub's pending transfer holding the funds

    class Meta:
        verbose_name = _("node pay-out")
        verbose_name_plural = _("node pay-outs")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payout_positive")]


class IntentKind(models.TextChoices):
    CASH_IN = "cash_in", _("cash-in")
    CASH_OUT = "cash_out", _("cash-out")
    REMITTANCE = "remittance", _("remittance pay-out")
    # A code bound to this node passed its expiry unpaid: the hub releases the held money.
    EXPIRED = "expired", _("code expired unpaid")


class NodeIntent(Record):
    """One money operation done at a node, numbered 1, 2, 3 … per node. Append-only: made once,
    signed with the node's changes (0052), applied once on the hub in ``seq`` order."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 1
    SYNC_SCOPE: dict[str, str] = {}  # to the hub, and back only to the node that made it
    SYNC_ORIGIN_FIELD = "node_id"  # sync refuses an intent made in another node's name

    node_id = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=16, choices=IntentKind.choices)
    currency = models.CharField(max_length=8)
    amount = models.BigIntegerField()
    payout = models.ForeignKey(
        NodePayout, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Cash-in: the id of the account holder whose wallet receives the money, sealed.
    holder = SealedTextField(blank=True)
    agent_handle = SealedTextField(blank=True)

    class Meta:
        ordering = ["node_id", "seq"]
        verbose_name = _("township money operation")
        verbose_name_plural = _("township money operations")
        constraints = [
            models.UniqueConstraint(fields=["node_id", "seq"], name="nodeintent_seq_unique"),
            # Once per node (its own page checks too). Not federation-wide: a bad intent from
            # one node must not make another node's whole bundle clash; the hub refuses it.
            models.UniqueConstraint(
                fields=["node_id", "payout"],
                condition=Q(payout__isnull=False),
                name="nodeintent_payout_once",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="nodeintent_positive"),
        ]


class IntentOutcome(Record):
    """The hub's answer to one intent: applied (with its ledger transfer) or refused (why).
    Travels back to the node that made the intent."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 1
    SYNC_SCOPE = {"follows": "intent"}

    class Status(models.TextChoices):
        APPLIED = "applied", _("reached the wallet")
        REFUSED = "refused", _("refused by the hub")

    intent = models.OneToOneField(NodeIntent, on_delete=models.PROTECT, related_name="outcome")
    status = models.CharField(max_length=8, choices=Status.choices)
    transfer_id = models.UUIDField(null=True, blank=True)
    message = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("township money outcome")
        verbose_name_plural = _("township money outcomes")


class NodeMoneyState(Record):
    """The hub's cursor per node: intents up to ``applied_seq`` are applied; a retired node
    (wiped or lost) gets no new money and its open holds were settled."""

    SYNC_POLICY = "local"
    SYNC_PRIORITY = 100

    node_id = models.CharField(max_length=64, unique=True)
    applied_seq = models.PositiveBigIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("township money state")
        verbose_name_plural = _("township money states")
