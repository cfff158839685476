"""Account operations: every write to accounts goes through one of these functions."""

from __future__ import annotations

import ipaddress
import secrets
from datetime import timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate, login, password_validation
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pyithu.accounts.models import ApiToken, LoginFailure, RecoveryCode, RoleGrant, User
from pyithu.accounts.roles import DEFAULT_MINISTRY
from pyithu.core import audit, changes, sealing

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_DAYS = 730
# No 0/o, 1/l/i: codes are copied by hand onto paper.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TOTP_ISSUER = "Pyithu"


class AccountError(Exception):
    """A refusal the person can act on; ``message`` is translated, ``field`` names the input."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class LoginThrottled(AccountError):
    def __init__(self, retry_after: int) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(
            ngettext(
                "Too many failed attempts. Try again in %(n)d minute.",
                "Too many failed attempts. Try again in %(n)d minutes.",
                minutes,
            )
            % {"n": minutes}
        )
        self.retry_after = retry_after


# --- accounts -------------------------------------------------------------------------------


def normalise_handle(handle: str) -> str:
    return (handle or "").strip().lower()


def validate_passphrase(passphrase: str, user: User | None = None) -> None:
    if len(passphrase) > 200:
        raise ValidationError(_("A passphrase can be at most 200 characters."), code="too_long")
    password_validation.validate_password(passphrase, user)


@transaction.atomic
def create_citizen_account(
    handle: str, passphrase: str, *, contact: str = "", language: str = ""
) -> tuple[User, list[str]]:
    """A pseudonymous account: no phone, e-mail or name. Returns the recovery codes, once."""
    user = User(handle=normalise_handle(handle), contact=contact, language=language)
    user.full_clean(exclude=["password"], validate_unique=False)
    validate_passphrase(passphrase, user)
    user.set_password(passphrase)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise AccountError(_("That handle is taken. Try another."), field="handle") from None
    return user, issue_recovery_codes(user)


@transaction.atomic
def create_staff_account(
    handle: str, passphrase: str, *, display_name: str = "", by: User | None = None
) -> User:
    user = User(handle=normalise_handle(handle), is_staff=True, display_name=display_name)
    user.full_clean(exclude=["password"])
    validate_passphrase(passphrase, user)
    user.set_password(passphrase)
    user.save()
    audit.record(by, "accounts.staff_create", user)
    return user


@transaction.atomic
def change_passphrase(user: User, old: str, new: str) -> User:
    if not user.check_password(old):
        raise AccountError(_("The current passphrase is not right."), field="old_passphrase")
    validate_passphrase(new, user)
    user.set_password(new)
    user.save(update_fields=["password", "updated_at"])
    return user


@transaction.atomic
def set_contact(user: User, contact: str) -> User:
    user.contact = contact
    user.save(update_fields=["contact", "updated_at"])
    return user


@transaction.atomic
def delete_account(user: User, passphrase: str) -> None:
    """A citizen removes their account and everything sealed in it."""
    if user.is_staff:
        raise AccountError(_("Staff accounts are closed by an operator."))
    if not user.check_password(passphrase):
        raise AccountError(_("The passphrase is not right."), field="passphrase")
    user.delete()


# --- recovery codes -------------------------------------------------------------------------


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _code_digest(code: str) -> str:
    cleaned = "".join(ch for ch in code.lower() if ch in CODE_ALPHABET)
    return sealing.digest("recovery-code", cleaned)


@transaction.atomic
def issue_recovery_codes(user: User) -> list[str]:
    """New codes replace all old ones. The plaintext exists only in the return value."""
    user.recovery_codes.all().delete()
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    expires = timezone.now() + timedelta(days=RECOVERY_CODE_DAYS)
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_digest=_code_digest(c), expires_at=expires) for c in codes
    )
    return codes


@transaction.atomic
def reissue_recovery_codes(user: User, passphrase: str) -> list[str]:
    if not user.check_password(passphrase):
        raise AccountError(_("The passphrase is not right."), field="passphrase")
    return issue_recovery_codes(user)


def recover_account(handle: str, code: str, new_passphrase: str, address: str = "") -> User:
    """Set a new passphrase with a one-time recovery code; the code is spent.

    The attempt is reserved before, and outside, the transaction that a refusal rolls back,
    so a wrong code is counted whatever happens next.
    """
    handle = normalise_handle(handle)
    keys = _throttle_keys(handle, address)
    attempt = begin_attempt(keys)
    user = _recover_account(handle, code, new_passphrase)
    attempt.succeeded()
    clear_login_failures(keys)
    return user


@transaction.atomic
def _recover_account(handle: str, code: str, new_passphrase: str) -> User:
    found = (
        RecoveryCode.objects.select_for_update()
        .filter(code_digest=_code_digest(code), user__handle=handle, user__is_active=True)
        .select_related("user")
        .first()
    )
    if found is None:
        raise AccountError(_("That handle and recovery code do not match."), field="code")
    if found.user.is_staff:
        raise AccountError(_("Staff accounts are recovered by an operator."), field="code")
    if not found.is_usable:
        raise AccountError(
            _("This recovery code has already been used or has expired."), field="code"
        )
    validate_passphrase(new_passphrase, found.user)
    # Conditional update: two simultaneous uses of one code cannot both succeed.
    if not RecoveryCode.objects.filter(pk=found.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    ):
        raise AccountError(_("This recovery code has already been used or has expired."))
    found.user.set_password(new_passphrase)
    found.user.save(update_fields=["password", "updated_at"])
    return found.user


def recovery_codes_left(user: User) -> int:
    return user.recovery_codes.filter(used_at__isnull=True, expires_at__gt=timezone.now()).count()


# --- login and throttling -------------------------------------------------------------------


def _throttle_keys(handle: str, address: str) -> dict[str, int]:
    """Per handle *and* address, so nobody can lock a real person out from elsewhere, plus a
    looser limit per address across handles (decision 0071)."""
    limit = settings.PYITHU_LOGIN_MAX_FAILURES
    keys = {sealing.digest("login-pair", f"{handle}\n{address}"): limit}
    if address:
        # Many people share one address behind a village router: a looser limit there.
        keys[sealing.digest("login-address", address)] = limit * 10
    return keys


class Attempt:
    """One reserved attempt: it counts as a failure unless :meth:`succeeded` is called."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def succeeded(self) -> None:
        LoginFailure.objects.filter(pk__in=self.ids).delete()
        self.ids = []


def begin_attempt(keys: dict[str, int], window_seconds: int | None = None) -> Attempt:
    """Reserve an attempt on every key *before* the expensive or secret check, then count.

    Each reservation is a committed row before anyone counts, so of N simultaneous attempts at
    most ``limit`` see a count within the limit: parallel guesses cannot slip past (the check
    and the record are one step, not two). Call it outside any transaction that a refusal
    rolls back, or the failure would vanish with it. A refused attempt is not counted.
    """
    window = timedelta(seconds=window_seconds or settings.PYITHU_LOGIN_WINDOW_SECONDS)
    since = timezone.now() - window
    # Rows older than the window count for nothing: each key keeps only its recent ones.
    LoginFailure.objects.filter(key_digest__in=list(keys), created_at__lt=since).delete()
    ids = [LoginFailure.objects.create(key_digest=key).pk for key in keys]
    for key, limit in keys.items():
        recent = LoginFailure.objects.filter(key_digest=key, created_at__gte=since)
        if recent.count() > limit:
            LoginFailure.objects.filter(pk__in=ids).delete()
            oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
            wait = (oldest + window - timezone.now()).total_seconds() if oldest else 60
            raise LoginThrottled(int(max(wait, 0)) + 1)
    return Attempt(ids)


def code_lookup_attempt(purpose: str, address: str, limit: int) -> Attempt:
    """The one throttling rule for every look-up by code (bookings, exams, certificates,
    prescriptions, feedback): failures counted per keyed digest of the client's address."""
    return begin_attempt({sealing.digest(purpose, address or "-"): limit})


def clear_login_failures(keys: dict[str, int]) -> None:
    first = next(iter(keys))  # the handle-and-address key; the address keeps its count
    LoginFailure.objects.filter(key_digest=first).delete()


def client_address(request: HttpRequest) -> str:
    """The client's address: the connecting peer, or, when that peer is one of the configured
    trusted proxies (``PYITHU_TRUSTED_PROXIES``), the last address in ``X-Forwarded-For``
    that is not itself a trusted proxy. A client cannot forge its way past the proxy."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not _trusted_proxy(peer):
        return peer
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _trusted_proxy(address):
            return address if _is_address(address) else peer
    return peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks())


def _trusted_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.PYITHU_TRUSTED_PROXIES]


def check_passphrase(request: HttpRequest, handle: str, passphrase: str) -> User:
    """First login step. Refuses with the same message whether the handle exists or not."""
    handle = normalise_handle(handle)
    attempt = begin_attempt(_throttle_keys(handle, client_address(request)))
    user = authenticate(request, handle=handle, password=passphrase)
    if user is None:
        raise AccountError(_("That handle and passphrase do not match."))
    attempt.succeeded()
    return user


def check_totp(request: HttpRequest, user: User, code: str) -> User:
    """Second login step for staff: a fresh TOTP code, each code accepted only once."""
    keys = _throttle_keys(user.handle, client_address(request))
    attempt = begin_attempt(keys)
    if not verify_totp(user, code):
        # The same signal a refused passphrase sends (metrics count both; no code in it).
        user_login_failed.send(sender="pyithu.accounts.totp", credentials={}, request=request)
        raise AccountError(
            _("That code is not right or has expired. Wait for a new one."), field="code"
        )
    attempt.succeeded()
    clear_login_failures(keys)
    return user


def log_in(request: HttpRequest, user: User) -> None:
    """Start the session once every step has passed; staff sessions are shorter."""
    clear_login_failures(_throttle_keys(user.handle, client_address(request)))
    login(request, user)
    if user.is_staff:
        request.session.set_expiry(settings.PYITHU_STAFF_SESSION_SECONDS)
        audit.record(user, "accounts.staff_login", user)


# --- two-factor (TOTP) ----------------------------------------------------------------------


@transaction.atomic
def start_totp_enrolment(user: User) -> str:
    """A new secret for a staff member who has none confirmed yet."""
    if user.has_totp:
        raise AccountError(_("Two-factor login is already set up for this account."))
    user.totp_secret = pyotp.random_base32()
    user.save(update_fields=["totp_secret", "updated_at"])
    return user.totp_secret


def totp_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.handle, issuer_name=TOTP_ISSUER)


def verify_totp(user: User, code: str) -> bool:
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not user.totp_secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = timezone.now()
    for drift in (0, -1, 1):  # one 30-second step either side for phone clock drift
        at = now + timedelta(seconds=30 * drift)
        if secrets.compare_digest(totp.at(at), code):
            step = totp.timecode(at)
            # Conditional update: a code (or an older one) replayed later is refused.
            won = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(
                totp_last_step=step
            )
            if won:
                changes.changed(User, [user.pk])
            return bool(won)
    return False


def confirm_totp(request: HttpRequest, user: User, code: str) -> User:
    # The code is checked (and a failure counted) outside the transaction that records success.
    check_totp(request, user, code)
    with transaction.atomic():
        _confirm_totp(user)
    return user


def _confirm_totp(user: User) -> None:
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_confirmed_at", "updated_at"])
    audit.record(user, "accounts.totp_enrolled", user)


@transaction.atomic
def reset_totp(user: User, by: User) -> None:
    """An operator clears a lost authenticator; the staff member enrols again at next login."""
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "updated_at"])
    audit.record(by, "accounts.totp_reset", user)


# --- roles ----------------------------------------------------------------------------------


@transaction.atomic
def grant_role(
    user: User,
    role: str,
    ministry: str = "",
    *,
    unit: str = "",
    township: Any = None,
    by: User | None = None,
) -> RoleGrant:
    ministry = ministry or DEFAULT_MINISTRY.get(role, "")
    if not ministry:
        raise AccountError(_("Say which ministry this role is for."), field="ministry")
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff", "updated_at"])
    grant, _created = RoleGrant.objects.get_or_create(
        user=user,
        role=role,
        ministry=ministry,
        unit=unit,
        revoked_at=None,
        defaults={"township": township, "granted_by": by},
    )
    audit.record(by, "accounts.role_grant", grant, summary=f"{role}@{ministry}")
    return grant


@transaction.atomic
def revoke_role(grant: RoleGrant, by: User | None = None) -> None:
    RoleGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    changes.changed(RoleGrant, [grant.pk])
    audit.record(by, "accounts.role_revoke", grant, summary=f"{grant.role}@{grant.ministry}")


def has_role(user: Any, role: str, ministry: str | None = None, unit: str | None = None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    grants = user.role_grants.filter(role=role, revoked_at__isnull=True)
    if ministry is not None:
        grants = grants.filter(ministry=ministry)
    if unit is not None:
        grants = grants.filter(unit__in=["", unit])  # a ministry-wide grant covers every unit
    return grants.exists()


# --- API tokens -----------------------------------------------------------------------------


@transaction.atomic
def create_api_token(
    user: User, name: str, *, days: int | None = None, by: User | None = None
) -> tuple[ApiToken, str]:
    if not user.is_staff:
        raise AccountError(_("Only staff and integrations get API tokens."))
    raw = "pyt_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        token_digest=sealing.digest("api-token", raw),
        prefix=raw[:8],
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    audit.record(by or user, "accounts.token_create", token)
    return token, raw


def revoke_api_tokens(user: User | None = None, *, by: User | None = None) -> int:
    """Revoke every live API token of ``user``, or of everyone (after a suspected breach)."""
    with transaction.atomic():
        live = ApiToken.objects.filter(revoked_at__isnull=True)
        if user is not None:
            live = live.filter(user=user)
        count = live.update(revoked_at=timezone.now())
        audit.record(
            by,
            "accounts.tokens_revoke",
            user,
            summary=f"{count} token(s)" + ("" if user else ", all"),
        )
    return count


def user_for_token(raw: str) -> User | None:
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_digest=sealing.digest("api-token", raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def revoke_api_token(token: ApiToken, by: User | None = None) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    audit.record(by, "accounts.token_revoke", token)
