"""Recommenders' vouchers after issue: how many were used, revoking unused ones, standing down.

A voucher's code is shown once and only its keyed digest is kept, so a single voucher is
revoked by typing its code (a lost slip), or all unused ones at once. A revoked voucher stays
on record (when, by whom) and is refused at application like a used one, with its own
message; nothing is ever deleted, so the recommender's counts add up over time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.core import audit
from pyithu.core.changes import changed
from pyithu.education.admissions.services.admissions import (
    is_officer,
    spendable_here,
    voucher_digest,
)
from pyithu.education.errors import EducationError
from pyithu.education.models import Recommender, Voucher


@dataclass(frozen=True)
class VoucherCounts:
    issued: int  # every voucher ever issued: used + revoked + unused
    used: int
    revoked: int
    unused: int


def can_act_for(user: Any, recommender: Recommender) -> bool:
    """The recommender's own account, or an education officer."""
    own = recommender.user_id is not None and getattr(user, "pk", None) == recommender.user_id
    return own or is_officer(user)


def counts(recommender: Recommender) -> VoucherCounts:
    row = Voucher.objects.filter(recommender=recommender).aggregate(
        issued=Count("pk"),
        used=Count("pk", filter=Q(spent_at__isnull=False)),
        revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
    )
    unused = row["issued"] - row["used"] - row["revoked"]
    return VoucherCounts(row["issued"], row["used"], row["revoked"], unused)


def _unused(recommender: Recommender) -> Any:
    """Unused vouchers allotted to this site: only there may they be revoked (0059)."""
    return Voucher.objects.filter(
        spendable_here(), recommender=recommender, spent_at__isnull=True, revoked_at__isnull=True
    )


def recommenders_for(user: Any) -> list[Recommender]:
    """Officers see every recommender; anyone else only those acting through their account."""
    rows = Recommender.objects.all() if is_officer(user) else Recommender.objects.filter(user=user)
    return list(rows.order_by("created_at")[:500])


@transaction.atomic
def revoke_voucher(recommender: Recommender, code: str, by: Any) -> None:
    if not can_act_for(by, recommender):
        raise EducationError(_("You may not act for this recommender."))
    now = timezone.now()
    rows = _unused(recommender).filter(code_digest=voucher_digest(code))
    pks = list(rows.values_list("pk", flat=True))
    removed = rows.update(revoked_at=now, revoked_by=by, updated_at=now)
    changed(Voucher, pks)
    if not removed:
        raise EducationError(_("None of this recommender's unused vouchers has this code."), "code")
    audit.record(by, "education.voucher_revoke", recommender, summary="1")


@transaction.atomic
def revoke_unused(recommender: Recommender, by: Any) -> int:
    if not can_act_for(by, recommender):
        raise EducationError(_("You may not act for this recommender."))
    now = timezone.now()
    pks = list(_unused(recommender).values_list("pk", flat=True))
    removed = (
        _unused(recommender)
        .filter(pk__in=pks)
        .update(revoked_at=now, revoked_by=by, updated_at=now)
    )
    changed(Voucher, pks)
    audit.record(by, "education.voucher_revoke", recommender, summary=str(removed))
    return removed


@transaction.atomic
def set_active(recommender: Recommender, active: bool, by: Any) -> Recommender:
    """An officer stands a recommender down (their unused vouchers stop working) or back."""
    if not is_officer(by):
        raise EducationError(_("Only an education officer may do this."))
    Recommender.objects.filter(pk=recommender.pk).update(is_active=active)
    changed(Recommender, [recommender.pk])
    verb = "activate" if active else "deactivate"
    audit.record(by, f"education.recommender_{verb}", recommender)
    recommender.refresh_from_db()
    return recommender
