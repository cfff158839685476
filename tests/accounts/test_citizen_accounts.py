"""Citizens: pseudonymous sign-up, login, recovery codes, contact sealed, clear refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pyithu.accounts import services
from pyithu.accounts.models import RecoveryCode, User

PASSPHRASE = "mohinga at dawn 77"


def _signup(client: Client, **overrides: str) -> Any:
    data = {
        "handle": "mya",
        "passphrase": PASSPHRASE,
        "passphrase_again": PASSPHRASE,
        "contact": "",
        "language": "my",
    } | overrides
    return client.post(reverse("accounts:signup"), data)


def test_signup_needs_only_a_handle_and_passphrase_and_shows_codes_once(
    client_en: Client, db: Any
) -> None:
    # When a visitor signs up with nothing but a handle and a passphrase
    response = _signup(client_en)
    # Then the account exists, they are logged in, and ten recovery codes are shown once
    assert response.status_code == 200
    user = User.objects.get(handle="mya")
    assert user.contact == "" and not user.is_staff
    assert client_en.get(reverse("accounts:home")).status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code in response.content.decode()
    # And only digests are stored
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_digest", flat=True))
    assert not stored & set(codes)


def test_signup_refusals_keep_what_was_typed_and_speak_burmese(client_my: Client, db: Any) -> None:
    # When the passphrase is too short and the contact is filled in
    response = _signup(
        client_my, passphrase="short", passphrase_again="short", contact="Telegram @kyaw"
    )
    # Then: a 400, a Burmese message, and the contact is kept in the form
    assert response.status_code == 400
    body = response.content.decode()
    assert "Telegram @kyaw" in body
    assert 'value="mya"' in body
    assert "စကားဝှက်" in body  # "passphrase" in Burmese appears in the error
    assert not User.objects.filter(handle="mya").exists()


@pytest.mark.parametrize(
    ("handle", "message"),
    [("ab", "3 to 32 characters"), ("has space", "3 to 32 characters"), ("a" * 40, "at most 32")],
)
def test_malformed_handles_are_refused_with_a_clear_message(
    client_en: Client, db: Any, handle: str, message: str
) -> None:
    response = _signup(client_en, handle=handle)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_taken_handle_is_refused(client_en: Client, alice: User) -> None:
    response = _signup(client_en, handle="Alice")
    assert response.status_code == 400
    assert "That handle is taken" in response.content.decode()


def test_mismatched_passphrases_are_refused(client_en: Client, db: Any) -> None:
    response = _signup(client_en, passphrase_again="something else entirely")
    assert response.status_code == 400
    assert "The two passphrases are not the same." in response.content.decode()


def test_citizen_logs_in_and_out(client_en: Client, alice: User) -> None:
    response = client_en.post(
        reverse("accounts:login"), {"handle": "ALICE", "passphrase": "tea leaf salad 1988"}
    )
    assert response.status_code == 302
    assert client_en.get(reverse("accounts:home")).context["user"] == alice
    client_en.post(reverse("accounts:logout"))
    assert client_en.get(reverse("accounts:home")).status_code == 302


def test_a_wrong_passphrase_gets_the_same_message_as_an_unknown_handle(
    client_en: Client, alice: User
) -> None:
    wrong = client_en.post(
        reverse("accounts:login"), {"handle": "alice", "passphrase": "nope nope nope"}
    )
    unknown = client_en.post(
        reverse("accounts:login"), {"handle": "nobody", "passphrase": "x" * 12}
    )
    assert wrong.status_code == unknown.status_code == 400
    assert "That handle and passphrase do not match." in wrong.content.decode()
    assert "That handle and passphrase do not match." in unknown.content.decode()
    assert 'value="alice"' in wrong.content.decode()


def test_recovery_code_resets_the_passphrase_once(client_en: Client, db: Any) -> None:
    # Given a citizen with recovery codes
    user, codes = services.create_citizen_account("thu", PASSPHRASE)
    data = {"handle": "thu", "code": codes[3].upper(), "passphrase": "new moon festival 9"}
    # When one code is used
    response = client_en.post(reverse("accounts:recover"), data)
    # Then the new passphrase works and the code is spent
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new moon festival 9")
    again = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("accounts:recover"), data | {"passphrase": "another passphrase 10"}
    )
    assert again.status_code == 400
    assert "already been used or has expired" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password("new moon festival 9")


def test_an_expired_recovery_code_is_refused(client_en: Client, db: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    _user, codes = services.create_citizen_account("thu", PASSPHRASE)
    RecoveryCode.objects.update(expires_at=timezone.now() - timedelta(days=1))
    response = client_en.post(
        reverse("accounts:recover"),
        {"handle": "thu", "code": codes[0], "passphrase": "x new passphrase 1"},
    )
    assert response.status_code == 400
    assert "already been used or has expired" in response.content.decode()


def test_new_recovery_codes_replace_the_old_ones(alice: User) -> None:
    old = RecoveryCode.objects.filter(user=alice).count()
    codes = services.issue_recovery_codes(alice)
    assert old == 10
    assert RecoveryCode.objects.filter(user=alice).count() == 10
    assert services.recovery_codes_left(alice) == len(codes)


def test_contact_details_are_sealed_and_editable(client_en: Client, alice: User) -> None:
    client_en.force_login(alice)
    response = client_en.post(reverse("accounts:contact"), {"contact": "  Signal: @hla  "})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.contact == "Signal: @hla"


def test_citizen_deletes_their_account(client_en: Client, alice: User) -> None:
    client_en.force_login(alice)
    refused = client_en.post(reverse("accounts:delete"), {"passphrase": "wrong passphrase"})
    assert refused.status_code == 400 and User.objects.filter(handle="alice").exists()
    client_en.post(reverse("accounts:delete"), {"passphrase": "tea leaf salad 1988"})
    assert not User.objects.filter(handle="alice").exists()


def test_zawgyi_typed_contact_details_are_stored_as_unicode(client_en: Client, alice: User) -> None:
    # Given a phone with a Zawgyi keyboard typing "ဖုန်း မြန်မာ" ("phone Myanmar")
    zawgyi = "\u1016\u102f\u1014\u1039\u1038 \u103b\u1019\u1014\u1039\u1019\u102c"
    client_en.force_login(alice)
    # When it is saved as the contact detail
    client_en.post(reverse("accounts:contact"), {"contact": zawgyi})
    # Then Unicode Burmese is stored
    alice.refresh_from_db()
    assert alice.contact == "ဖုန်း မြန်မာ"
