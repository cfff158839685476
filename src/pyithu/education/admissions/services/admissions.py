"""Admissions by recommendation voucher.

Codes are shown once and only their keyed digests are kept. A voucher is spent by a
conditional update, so two applications racing with the same voucher cannot both succeed.
Across sites, a voucher is spent, revoked or allotted only at the one site it is allotted to
(``Voucher.site``, decision 0059): two sites offline at once can never both spend it.
"""

from __future__ import annotations

import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.accounts import services as accounts
from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.core import audit, sealing, site
from pyithu.core.changes import changed
from pyithu.core.fields import sealed_storage
from pyithu.core.text import normalise_text
from pyithu.education.errors import EducationError
from pyithu.education.exams.services.exams import new_exam_code, normalise_code
from pyithu.education.models import Application, Recommender, School, Voucher
from pyithu.geo.models import Township

log = logging.getLogger("pyithu.education.admissions")

MINISTRY = "education"
MAX_VOUCHERS_PER_REQUEST = 200
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
CODE_FAILURES_PER_ADDRESS = 20


def voucher_digest(code: str) -> str:
    return sealing.digest("edu-voucher", normalise_code(code))


def application_digest(code: str) -> str:
    return sealing.digest("edu-application", normalise_code(code))


def is_officer(user: object) -> bool:
    return has_role(user, Role.EXAM_OFFICER, MINISTRY)


def can_decide(user: object, school: School) -> bool:
    return has_role(user, Role.SCHOOL_ADMIN, MINISTRY, unit=school.slug)


def spendable_here() -> Q:
    """Vouchers allotted to this site ("" is the hub's, from before it had a node id)."""
    here = Q(site=site.node_id())
    return here | Q(site="") if site.is_hub() else here


@transaction.atomic
def register_recommender(kind: str, name: str, by: object, user: object = None) -> Recommender:
    if not is_officer(by):
        raise EducationError(_("Only an education officer may register recommenders."))
    if kind not in Recommender.Kind.values:
        raise EducationError(_("Choose a CDM teacher, a university or a student council."), "kind")
    name = normalise_text(name)
    if not name:
        raise EducationError(_("Give the recommender's name."), "name")
    recommender = Recommender.objects.create(kind=kind, name=name, user=user, registered_by=by)
    audit.record(by, "education.recommender_register", recommender, summary=kind)
    return recommender


@transaction.atomic
def issue_vouchers(
    recommender: Recommender, count: int, by: object, *, for_site: str | None = None
) -> list[str]:
    """New one-time voucher codes: returned once, never stored. They are allotted to this
    site, or by an officer on the hub to the node ``for_site`` (slips printed for a township
    that is about to lose its link), and spendable only there."""
    allotted = site.node_id() if for_site is None else for_site
    if allotted != site.node_id() and (not site.is_hub() or not is_officer(by)):
        raise EducationError(_("Only an education officer on the hub may allot vouchers."))
    own = recommender.user_id is not None and getattr(by, "pk", None) == recommender.user_id
    if not (own or is_officer(by)):
        raise EducationError(_("You may not issue vouchers for this recommender."))
    if not recommender.is_active:
        raise EducationError(_("This recommender may no longer recommend."))
    if not 1 <= count <= MAX_VOUCHERS_PER_REQUEST:
        raise EducationError(
            _("Issue between 1 and %(n)d vouchers at a time.") % {"n": MAX_VOUCHERS_PER_REQUEST},
            "count",
        )
    codes = [new_exam_code() for _i in range(count)]
    rows = Voucher.objects.bulk_create(
        Voucher(recommender=recommender, code_digest=voucher_digest(c), site=allotted)
        for c in codes
    )
    changed(Voucher, [v.pk for v in rows])
    audit.record(by, "education.vouchers_issue", recommender, summary=str(count))
    return codes


def _voucher_refused(digest: str) -> EducationError:
    held = Voucher.objects.filter(code_digest=digest).exclude(spendable_here()).exists()
    if held or (not site.is_hub() and not Voucher.objects.filter(code_digest=digest).exists()):
        # Allotted elsewhere (a node does not even hold other sites' vouchers).
        return EducationError(
            _(
                "This voucher can be used only at the place where your recommender gave it "
                "out, not here. Apply there, or ask your recommender for a voucher for this "
                "place."
            ),
            "voucher",
        )
    if Voucher.objects.filter(code_digest=digest, revoked_at__isnull=False).exists():
        return EducationError(
            _(
                "This voucher has been revoked by your recommender and can no longer be "
                "used. Ask your recommender for a new one."
            ),
            "voucher",
        )
    return EducationError(
        _(
            "This voucher is not valid or has already been used. Ask your recommender "
            "for a new one."
        ),
        "voucher",
    )


class Throttled(EducationError):
    """Too many refused codes from one address: try again later (HTTP 429 in the API)."""


def _begin_attempt(purpose: str, address: str, field: str) -> accounts.Attempt:
    # Codes carry 80 bits, so guessing is hopeless; the throttle keeps the log and the
    # database quiet when someone tries anyway. Counted per keyed digest of the address.
    try:
        return accounts.code_lookup_attempt(purpose, address, CODE_FAILURES_PER_ADDRESS)
    except accounts.LoginThrottled as exc:
        raise Throttled(exc.message, field) from None


def apply(
    *,
    pseudonym: str,
    school: School,
    programme: str,
    voucher_code: str,
    document: UploadedFile | None = None,
    address: str = "",
    township: Township | None = None,
) -> tuple[Application, str]:
    """Spend the voucher and file the application; returns it and its code (shown once).

    Refused vouchers count against the sender's address (``address``), as failed logins do;
    the web form and the API pass the same address and meet the same limit.
    """
    attempt = _begin_attempt("edu-voucher-addr", address, "voucher")
    try:
        result = _apply(pseudonym, school, programme, voucher_code, document, township)
    except EducationError as exc:
        if exc.field != "voucher":
            attempt.succeeded()  # only refused vouchers count
        raise
    attempt.succeeded()
    return result


@transaction.atomic
def _apply(
    pseudonym: str,
    school: School,
    programme: str,
    voucher_code: str,
    document: UploadedFile | None,
    township: Township | None = None,
) -> tuple[Application, str]:
    if not school.is_recognised:
        raise EducationError(_("This school is not taking applications."), "school")
    if document is not None and document.size > MAX_DOCUMENT_BYTES:
        raise EducationError(_("The document must be 2 MB or smaller."), "document")
    pseudonym, programme = normalise_text(pseudonym)[:60], normalise_text(programme)[:200]
    if not pseudonym:
        raise EducationError(_("Choose a pseudonym."), "pseudonym")
    if not programme:
        raise EducationError(_("Say which programme or grade you apply for."), "programme")
    digest = voucher_digest(voucher_code)
    now = timezone.now()
    spent = (
        Voucher.objects.filter(
            code_digest=digest,
            spent_at__isnull=True,
            revoked_at__isnull=True,
            recommender__is_active=True,
        )
        .filter(spendable_here())
        .update(spent_at=now, updated_at=now)
    )
    if spent != 1:
        log.warning("admission refused: voucher not valid here, spent or revoked")
        raise _voucher_refused(digest)
    changed(Voucher, Voucher.objects.filter(code_digest=digest).values_list("pk", flat=True))
    code = new_exam_code()
    application = Application(
        pseudonym=pseudonym,
        school=school,
        programme=programme,
        voucher=Voucher.objects.get(code_digest=digest),
        code_digest=application_digest(code),
        township=township,
    )
    if document is not None:
        application.document.save("document", document, save=False)
    application.save()
    return application, code


@transaction.atomic
def decide(application: Application, admit: bool, by: object) -> Application:
    """Admit or refuse; the supporting document is deleted, file and field."""
    if not can_decide(by, application.school):
        raise EducationError(_("You may not decide applications for this school."))
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.PENDING:
        raise EducationError(_("This application has already been decided."))
    if locked.document:
        name = locked.document.name
        locked.document = ""
        # The file goes once the decision is committed; a rolled-back decision keeps it.
        transaction.on_commit(lambda: sealed_storage.delete(name))
    locked.status = Application.Status.ADMITTED if admit else Application.Status.REFUSED
    locked.decided_at = timezone.now()
    locked.decided_by = by  # type: ignore[assignment]
    locked.save()
    audit.record(by, f"education.application_{locked.status}", locked, summary=locked.school.slug)
    return locked


def status_for_code(code: str, address: str = "") -> Application:
    attempt = _begin_attempt("edu-appcode-addr", address, "code")
    application = (
        Application.objects.select_related("school")
        .filter(code_digest=application_digest(code))
        .first()
    )
    if application is None:
        raise EducationError(_("No application has this code. Check it and try again."), "code")
    attempt.succeeded()
    return application
