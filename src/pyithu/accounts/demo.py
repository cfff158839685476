"""Demo people: two citizens and one staff member per role, each with known credentials."""

from __future__ import annotations

import pyotp
from django.utils import timezone

from pyithu.accounts import services
from pyithu.accounts.models import Role, User

DEMO_PASSPHRASE = "spring rice river 2025"  # noqa: S105 (printed for demos; never in production)

CITIZENS = ["alice", "bob"]
STAFF = [
    ("operator-olivia", Role.OPERATOR, "communications"),
    ("auditor-aung", Role.AUDITOR, "communications"),
    ("doctor-thida", Role.DOCTOR, "health"),
    ("pharmacist-hla", Role.PHARMACIST, "health"),
    ("coordinator-khin", Role.CLINIC_COORDINATOR, "health"),
    ("teacher-may", Role.TEACHER, "education"),
    ("schooladmin-zaw", Role.SCHOOL_ADMIN, "education"),
    ("examofficer-nilar", Role.EXAM_OFFICER, "education"),
    ("recommender-khin", Role.RECOMMENDER, "education"),
    ("bankofficer-htet", Role.BANK_OFFICER, "finance"),
    ("agent-kyaw", Role.AGENT, "finance"),
    ("agent-somchai", Role.AGENT, "finance"),
    ("teashop-mya", Role.MERCHANT, "finance"),
]


def _staff(handle: str) -> User:
    user = User.objects.filter(handle=handle).first()
    if user is None:
        user = services.create_staff_account(handle, DEMO_PASSPHRASE)
    if not user.has_totp:
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed_at = timezone.now()
        user.save(update_fields=["totp_secret", "totp_confirmed_at", "updated_at"])
    return user


def load() -> list[str]:
    lines = [f"Citizens (passphrase '{DEMO_PASSPHRASE}'): " + ", ".join(CITIZENS)]
    for handle in CITIZENS:
        if not User.objects.filter(handle=handle).exists():
            services.create_citizen_account(handle, DEMO_PASSPHRASE)
    lines.append("Staff (same passphrase, then a TOTP code from `pyithu totp-code HANDLE`):")
    for handle, role, ministry in STAFF:
        user = _staff(handle)
        services.grant_role(user, role, ministry)
        lines.append(f"  {handle:20} {role.label:22} key {user.totp_secret}")
    admin = _staff("admin")
    if not admin.is_superuser:
        User.objects.filter(pk=admin.pk).update(is_superuser=True)
    lines.append(f"  {'admin':20} {'superuser':22} key {admin.totp_secret}")
    return lines
