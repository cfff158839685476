"""People: pseudonymous citizens, staff with roles, recovery codes, API tokens, throttling."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField
from pyithu.core.models import Record

handle_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]{2,31}$",
    _(
        "A handle is 3 to 32 characters: small English letters, digits, - or _, "
        "starting with a letter or digit."
    ),
    code="invalid_handle",
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, handle: str | None) -> User:
        return self.get(handle=(handle or "").strip().lower())

    def create_user(self, handle: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(handle=handle.strip().lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, handle: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(handle, password, **extra)


class User(Record, AbstractBaseUser, PermissionsMixin):
    """An account. Citizens need nothing but a handle and a passphrase.

    Everything that could identify the person (contact details, a staff member's real name,
    the TOTP secret) is sealed at rest.
    """

    SYNC_POLICY = "last_writer"

    handle = models.CharField(
        _("handle"), max_length=32, unique=True, validators=[handle_validator]
    )
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    contact = SealedTextField(_("contact details"), blank=True)
    display_name = SealedTextField(_("name shown to colleagues"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    totp_secret = SealedTextField(_("two-factor secret"), blank=True)
    totp_confirmed_at = models.DateTimeField(_("two-factor confirmed"), null=True, blank=True)
    # The last accepted TOTP time step: a code is never accepted twice.
    totp_last_step = models.BigIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "handle"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["handle"]

    def __str__(self) -> str:
        return self.handle

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret) and self.totp_confirmed_at is not None


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    AUDITOR = "auditor", _("Auditor")
    DOCTOR = "doctor", _("Doctor")
    PHARMACIST = "pharmacist", _("Pharmacist")
    CLINIC_COORDINATOR = "clinic_coordinator", _("Clinic coordinator")
    TEACHER = "teacher", _("Teacher")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    EXAM_OFFICER = "exam_officer", _("Exam officer")
    RECOMMENDER = "recommender", _("Recommender")
    BANK_OFFICER = "bank_officer", _("Bank officer")
    AGENT = "agent", _("Agent")
    MERCHANT = "merchant", _("Merchant")
    COUNSELLOR = "counsellor", _("Hotline counsellor")
    REFERRAL_OFFICER = "referral_officer", _("Referral desk officer")


class RoleGrant(Record):
    """A staff role within one ministry, optionally narrowed to a unit (a clinic, a school,
    an agent outlet: ``unit`` holds its reference) or to a township."""

    SYNC_POLICY = "last_writer"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    ministry = models.SlugField(_("ministry"), max_length=64)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    township = models.ForeignKey(
        "geo.Township", verbose_name=_("township"), null=True, blank=True, on_delete=models.PROTECT
    )
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("role grant")
        ordering = ["user__handle", "ministry", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "ministry", "unit"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_grant_per_role_unit",
            )
        ]

    def __str__(self) -> str:
        where = f"/{self.unit}" if self.unit else ""
        return f"{self.user.handle}: {self.role} @ {self.ministry}{where}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RecoveryCode(Record):
    """One-time codes a citizen keeps on paper to regain an account without any contact detail.

    Only a keyed digest is stored; codes are random enough that a digest cannot be guessed back.
    """

    SYNC_POLICY = "local"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class LoginFailure(Record):
    """A failed login, keyed by a digest of the handle or of the address, never the raw value."""

    SYNC_POLICY = "local"

    key_digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["key_digest", "created_at"])]

    def __str__(self) -> str:
        return f"login failure {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(Record):
    """A bearer token for staff and integrations. Shown once; only its digest is kept."""

    SYNC_POLICY = "local"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
