"""Shared fixtures: reference data loaded once per session, and named personas."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from pyithu.accounts import services
from pyithu.accounts.models import Role, User

PASSPHRASE = "tea leaf salad 1988"


@pytest.fixture
def free_port() -> int:
    """A port the system says is free now: tests never bind fixed ports."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True, scope="session")
def _cheap_argon2() -> Any:
    """Still Argon2id, at its smallest cost: production's (100 MB, 8 lanes) takes about a second
    per account on a shared two-core CI machine, and the tests check behaviour, not cost."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    saved = (Argon2PasswordHasher.time_cost, Argon2PasswordHasher.memory_cost)
    saved_lanes = Argon2PasswordHasher.parallelism
    Argon2PasswordHasher.time_cost, Argon2PasswordHasher.memory_cost = 1, 64
    Argon2PasswordHasher.parallelism = 1
    yield
    Argon2PasswordHasher.time_cost, Argon2PasswordHasher.memory_cost = saved
    Argon2PasswordHasher.parallelism = saved_lanes


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Any:
    """Code called directly speaks English; a request speaks the visitor's language."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    # Geography and the service catalogue are reference data every page relies on.
    with django_db_blocker.unblock():
        call_command("load_geography", verbosity=0)
        call_command("load_catalogue", verbosity=0)


# Reference data that data migrations load once (clinics, red flags, receiving services).
SEEDING_MIGRATIONS = (
    "pyithu.health.migrations.0002_seed",
    "pyithu.health.migrations.0006_seed_receiving_services",
)


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """For transactional tests: the flush after each one empties the session's reference data,
    including what data migrations seeded, so load it all again (each loader never duplicates)."""
    import importlib

    from django.apps import apps

    call_command("load_geography", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    for module in SEEDING_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)


@pytest.fixture
def alice(db: Any) -> User:
    """A citizen with a pseudonymous account."""
    user, _codes = services.create_citizen_account("alice", PASSPHRASE)
    return user


@pytest.fixture
def make_staff(db: Any):
    """Staff with a confirmed authenticator; returns the user (its TOTP secret is on it)."""

    def make(handle: str, role: str = Role.OPERATOR, ministry: str = "communications") -> User:
        user = services.create_staff_account(handle, PASSPHRASE)
        user.totp_secret = pyotp.random_base32()
        user.save()
        from django.utils import timezone

        User.objects.filter(pk=user.pk).update(totp_confirmed_at=timezone.now())
        user.refresh_from_db()
        services.grant_role(user, role, ministry)
        return user

    return make


@pytest.fixture
def olivia(make_staff: Any) -> User:
    """An operator of the Ministry of Communications."""
    return make_staff("operator-olivia")


@pytest.fixture
def client() -> Client:
    """Django's test client, asking for English (the site's own default is Burmese)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def client_en() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["lang"] = "en"
    return client


@pytest.fixture
def client_my() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="my")
    client.cookies["lang"] = "my"
    return client
