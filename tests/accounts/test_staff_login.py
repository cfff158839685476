"""Staff: roles carry permissions, login demands TOTP, brute force is throttled."""

from __future__ import annotations

from typing import Any

import pyotp
from django.test import Client
from django.urls import reverse

from pyithu.accounts import services
from pyithu.accounts.models import LoginFailure, Role, User
from pyithu.core.models import AuditEntry

PASSPHRASE = "tea leaf salad 1988"


def _password_step(client: Client, handle: str, passphrase: str = PASSPHRASE) -> Any:
    return client.post(reverse("accounts:login"), {"handle": handle, "passphrase": passphrase})


def test_staff_passphrase_alone_does_not_log_in(client_en: Client, olivia: User) -> None:
    # When an operator gives the right passphrase
    response = _password_step(client_en, "operator-olivia")
    # Then they are sent to the code step and are not yet logged in anywhere
    assert response.status_code == 302 and response.url == reverse("accounts:totp")
    assert client_en.get(reverse("accounts:home")).status_code == 302
    assert client_en.get(reverse("admin:index")).status_code == 302


def test_staff_log_in_with_a_totp_code_and_reach_the_admin(client_en: Client, olivia: User) -> None:
    _password_step(client_en, "operator-olivia")
    code = pyotp.TOTP(olivia.totp_secret).now()
    response = client_en.post(reverse("accounts:totp"), {"code": code})
    assert response.status_code == 302
    assert client_en.get(reverse("admin:index")).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.staff_login", actor=olivia).count() == 1
    # And a staff session ends sooner than a citizen's
    assert client_en.session.get_expiry_age() == 4 * 3600


def test_a_wrong_totp_code_is_refused_in_the_visitors_language(
    client_my: Client, olivia: User
) -> None:
    _password_step(client_my, "operator-olivia")
    response = client_my.post(reverse("accounts:totp"), {"code": "000000"})
    assert response.status_code == 400
    assert "ကုဒ်" in response.content.decode()  # "code" in Burmese
    assert client_my.get(reverse("admin:index")).status_code == 302


def test_a_totp_code_is_accepted_only_once(client_en: Client, olivia: User) -> None:
    code = pyotp.TOTP(olivia.totp_secret).now()
    assert services.verify_totp(olivia, code) is True
    assert services.verify_totp(olivia, code) is False


def test_new_staff_enrol_an_authenticator_at_first_login(client_en: Client, db: Any) -> None:
    # Given a staff account with no authenticator yet
    user = services.create_staff_account("teacher-new", PASSPHRASE)
    # When they pass the passphrase step
    response = _password_step(client_en, "teacher-new")
    assert response.url == reverse("accounts:totp_enrol")
    page = client_en.get(reverse("accounts:totp_enrol"))
    user.refresh_from_db()
    # Then they see a QR code and key, and confirming a code logs them in
    assert "<svg" in page.content.decode() and user.totp_secret in page.content.decode()
    response = client_en.post(
        reverse("accounts:totp_enrol"), {"code": pyotp.TOTP(user.totp_secret).now()}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.has_totp


def test_repeated_failures_lock_the_handle_even_with_the_right_passphrase(
    client_en: Client, alice: User, settings: Any
) -> None:
    settings.PYITHU_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert _password_step(client_en, "alice", "wrong guess 123").status_code == 400
    response = _password_step(client_en, "alice")
    assert response.status_code == 400
    assert "Too many failed attempts" in response.content.decode()
    # And no raw handle or address is stored for the throttle
    assert not LoginFailure.objects.filter(key_digest__icontains="alice").exists()


def test_totp_guessing_is_throttled(client_en: Client, olivia: User, settings: Any) -> None:
    settings.PYITHU_LOGIN_MAX_FAILURES = 3
    _password_step(client_en, "operator-olivia")
    for _ in range(3):
        client_en.post(reverse("accounts:totp"), {"code": "123456"})
    code = pyotp.TOTP(olivia.totp_secret).now()
    response = client_en.post(reverse("accounts:totp"), {"code": code})
    assert response.status_code == 400
    assert "Too many failed attempts" in response.content.decode()


def test_roles_carry_django_permissions(make_staff: Any) -> None:
    operator = make_staff("op-two", Role.OPERATOR, "communications")
    auditor = make_staff("aud-two", Role.AUDITOR, "communications")
    assert operator.has_perm("geo.change_township")
    assert not operator.has_perm("core.view_auditentry")
    assert auditor.has_perm("core.view_auditentry")
    assert not auditor.has_perm("geo.change_township")


def test_a_revoked_role_loses_its_permissions(make_staff: Any) -> None:
    operator = make_staff("op-three")
    services.revoke_role(operator.role_grants.get())
    fresh = User.objects.get(pk=operator.pk)
    assert not fresh.has_perm("geo.change_township")
    assert not services.has_role(fresh, Role.OPERATOR)


def test_has_role_respects_ministry_and_unit(make_staff: Any) -> None:
    doctor = make_staff("dr-one", Role.DOCTOR, "health")
    services.grant_role(doctor, Role.CLINIC_COORDINATOR, "health", unit="clinic:paediatrics")
    assert services.has_role(doctor, Role.DOCTOR, "health", unit="clinic:eye")
    assert services.has_role(doctor, Role.CLINIC_COORDINATOR, "health", unit="clinic:paediatrics")
    assert not services.has_role(doctor, Role.CLINIC_COORDINATOR, "health", unit="clinic:eye")
    assert not services.has_role(doctor, Role.DOCTOR, "education")


def test_passwords_are_hashed_with_argon2(alice: User) -> None:
    assert alice.password.startswith("argon2$argon2id$")
