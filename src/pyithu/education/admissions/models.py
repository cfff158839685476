"""Admissions by recommendation voucher: nothing here names an applicant.

A recommender (a CDM teacher, a university or a student council) is registered by an officer
and issues one-time vouchers; only keyed digests of voucher and application codes are kept.
An application's supporting document is sealed and deleted once the school decides.

Sync (decision 0059): a voucher is allotted to one site (the one that issued it, or the one the
hub allotted it to) and is spent, revoked or allotted again only there, so it is spent once
across the federation even with every site offline. An application travels to the hub and to
the nodes serving its school (the deciding school) and back to the node it was made at; its
document travels with it, sealed, and is deleted on every site once the decision arrives.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField, sealed_storage
from pyithu.core.models import Record


class Recommender(Record):
    SYNC_POLICY = "last_writer"

    class Kind(models.TextChoices):
        TEACHER = "teacher", _("CDM teacher")
        UNIVERSITY = "university", _("University")
        COUNCIL = "council", _("Student council")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # A CDM teacher's name is dangerous to keep in the clear: sealed.
    name = SealedTextField(_("name"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(_("may recommend"), default=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("recommender")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {str(self.pk)[-6:]}"


class Voucher(Record):
    """A one-time recommendation. ``spent_at`` is set once, by a conditional update; so is
    ``revoked_at`` (a lost slip): a revoked voucher stays on record and is refused.
    ``site`` is the node id of the one site where it may be spent ("" = the hub)."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 10
    # To the site it is allotted to, and with its application to the deciding school's nodes.
    SYNC_SCOPE = {"nodes": "site", "schools": "application__school__slug"}

    recommender = models.ForeignKey(Recommender, on_delete=models.PROTECT, related_name="vouchers")
    code_digest = models.CharField(max_length=64, unique=True)
    site = models.CharField(_("spendable at"), max_length=64, blank=True, default="")
    spent_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("recommendation voucher")

    def __str__(self) -> str:
        return f"voucher {self.pk}"


class Application(Record):
    # To the hub, the deciding school's nodes and the site it was made at (its voucher's); the
    # old versions (which named the document) become bare hashes once a decision is held.
    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 10
    SYNC_SCOPE = {"schools": "school__slug", "nodes": "voucher__site"}
    SYNC_FORGET_OLD = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the school")
        ADMITTED = "admitted", _("Admitted")
        REFUSED = "refused", _("Not admitted")

    pseudonym = models.CharField(_("pseudonym"), max_length=60)
    school = models.ForeignKey(
        "education.School", on_delete=models.PROTECT, related_name="applications"
    )
    programme = models.CharField(_("programme or grade"), max_length=200)
    voucher = models.OneToOneField(Voucher, on_delete=models.PROTECT, related_name="application")
    document = models.FileField(_("supporting document"), storage=sealed_storage, blank=True)
    code_digest = models.CharField(max_length=64, unique=True)
    # Optional, chosen by the applicant: only counts reach (nothing else places them).
    township = models.ForeignKey(
        "geo.Township",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("application")

    def __str__(self) -> str:
        return f"{self.pseudonym} → {self.school}"
