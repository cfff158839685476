"""Throttles that hold: failures counted outside the refused transaction, attempts reserved
before the check, a real person never locked out from someone else's address, and the client's
address believed from trusted proxies only (decision 0071)."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings

from pyithu.accounts import services
from pyithu.accounts.models import LoginFailure, User

PASSPHRASE = "tea leaf salad 1988"


def request_from(address: str, forwarded: str = "") -> Any:
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/accounts/login/", **extra)


def test_wrong_recovery_codes_are_counted_until_the_limit(alice: User) -> None:
    # Given the limit of five failures per handle and address
    for _ in range(5):
        with pytest.raises(services.AccountError) as refused:
            services.recover_account("alice", "wrong-code", "new " + PASSPHRASE, "10.0.0.7")
        assert not isinstance(refused.value, services.LoginThrottled)
    # Then the sixth is refused without being checked, even with a real code
    code = services.issue_recovery_codes(alice)[0]
    with pytest.raises(services.LoginThrottled):
        services.recover_account("alice", code, "new " + PASSPHRASE, "10.0.0.7")
    alice.refresh_from_db()
    assert alice.check_password(PASSPHRASE)


def test_a_wrong_totp_code_at_enrolment_is_counted(make_staff: Any) -> None:
    olivia = make_staff("operator-olivia")
    request = request_from("10.0.0.8")
    for _ in range(5):
        with pytest.raises(services.AccountError):
            services.confirm_totp(request, olivia, "000000")
    assert LoginFailure.objects.count() == 10  # five on the pair key, five on the address key
    with pytest.raises(services.LoginThrottled):
        services.confirm_totp(request, olivia, "000000")


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(alice: User) -> None:
    # Given someone guessing alice's passphrase from one address until refused
    for _ in range(5):
        with pytest.raises(services.AccountError):
            services.check_passphrase(request_from("203.0.113.9"), "alice", "guess guess guess")
    with pytest.raises(services.LoginThrottled):
        services.check_passphrase(request_from("203.0.113.9"), "alice", PASSPHRASE)
    # Then alice, from her own address, still logs in
    assert services.check_passphrase(request_from("198.51.100.4"), "alice", PASSPHRASE) == alice


def test_one_address_guessing_many_handles_is_stopped(db: Any) -> None:
    for n in range(50):
        with pytest.raises(services.AccountError) as refused:
            services.check_passphrase(request_from("203.0.113.10"), f"nobody{n}", "x" * 12)
        assert not isinstance(refused.value, services.LoginThrottled)
    with pytest.raises(services.LoginThrottled):
        services.check_passphrase(request_from("203.0.113.10"), "someone", "x" * 12)


@override_settings(PYITHU_TRUSTED_PROXIES=["127.0.0.1", "10.1.0.0/16"])
def test_the_client_address_comes_through_trusted_proxies_only() -> None:
    # Behind the proxy, the client's own address is taken from X-Forwarded-For
    assert services.client_address(request_from("127.0.0.1", "198.51.100.4")) == "198.51.100.4"
    # A forged entry before the real one is ignored: the last untrusted hop counts
    forged = "1.2.3.4, 198.51.100.4, 10.1.2.3"
    assert services.client_address(request_from("127.0.0.1", forged)) == "198.51.100.4"
    # Nonsense from a trusted proxy falls back to the proxy itself
    assert services.client_address(request_from("127.0.0.1", "not-an-address")) == "127.0.0.1"
    # From anyone else the header is not believed
    assert services.client_address(request_from("198.51.100.4", "1.2.3.4")) == "198.51.100.4"


@override_settings(PYITHU_TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert services.client_address(request_from("127.0.0.1", "198.51.100.4")) == "127.0.0.1"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="parallel attempts need a database that runs them in parallel (PostgreSQL)",
)
def test_parallel_wrong_passphrases_get_no_more_checks_than_the_limit() -> None:
    # Given 24 simultaneous wrong passphrases for one handle from one address
    services.create_citizen_account("alice", PASSPHRASE)
    checked: list[bool] = []
    start = threading.Barrier(24)

    def guess() -> None:
        start.wait()
        try:
            services.check_passphrase(request_from("203.0.113.11"), "alice", "wrong " * 3)
        except services.LoginThrottled:
            checked.append(False)
        except services.AccountError:
            checked.append(True)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then at most the limit (5) were checked; the rest were refused before the check
    assert len(checked) == 24
    assert 1 <= checked.count(True) <= 5
