"""Throttles counted in Redis when ``PYITHU_REDIS_URL`` is set: the same rule as the database
(reserve, then count; a refusal takes its reservation back), one limit for parallel attempts,
and the database again when Redis is unreachable (decision 0085)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from pyithu.accounts import services, throttles
from pyithu.accounts.models import LoginFailure, User

REDIS_URL = os.environ.get("PYITHU_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
PASSPHRASE = "tea leaf salad 1988"


def _reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_url() -> Iterator[str]:
    if not _reachable(REDIS_URL):
        pytest.skip(
            f"Redis throttle tests skipped: no Redis at {REDIS_URL} (set PYITHU_TEST_REDIS_URL)"
        )
    with override_settings(PYITHU_REDIS_URL=REDIS_URL):
        throttles.reset_clients()
        yield REDIS_URL
    throttles.reset_clients()


def _key() -> str:
    return f"test-{uuid.uuid4().hex}"


def _stored(key: str) -> int:
    import redis

    return redis.Redis.from_url(REDIS_URL).zcard(throttles.REDIS_PREFIX + key)


def test_failures_are_counted_in_redis_up_to_the_limit(redis_url: str, alice: User) -> None:
    from django.test import RequestFactory

    # Addresses of this run only: Redis keeps counts between runs for the window
    guesser, own = (f"2001:db8::{uuid.uuid4().hex[:4]}:{n}" for n in (1, 2))
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=guesser)
    for _ in range(5):
        with pytest.raises(services.AccountError) as refused:
            services.check_passphrase(request, "alice", "guess guess guess")
        assert not isinstance(refused.value, services.LoginThrottled)
    # The sixth is refused before the passphrase is checked, even the right one
    with pytest.raises(services.LoginThrottled):
        services.check_passphrase(request, "alice", PASSPHRASE)
    # Nothing went to the database: Redis holds the count
    assert LoginFailure.objects.count() == 0
    # And alice from her own address still logs in, which clears her pair key
    from_home = RequestFactory().post("/accounts/login/", REMOTE_ADDR=own)
    assert services.check_passphrase(from_home, "alice", PASSPHRASE) == alice


def test_a_refused_or_successful_attempt_takes_its_reservation_back(redis_url: str) -> None:
    key = _key()
    for _ in range(3):
        services.begin_attempt({key: 3}, window_seconds=60)
    assert _stored(key) == 3
    with pytest.raises(services.LoginThrottled) as refused:
        services.begin_attempt({key: 3}, window_seconds=60)
    assert 1 <= refused.value.retry_after <= 61
    assert _stored(key) == 3  # the refused one is not counted
    other = _key()
    services.begin_attempt({other: 3}, window_seconds=60).succeeded()
    assert _stored(other) == 0


def test_parallel_attempts_meet_one_limit(redis_url: str) -> None:
    key, allowed, start = _key(), [], threading.Barrier(24)

    def attempt() -> None:
        start.wait()
        try:
            services.begin_attempt({key: 5}, window_seconds=60)
            allowed.append(1)
        except services.LoginThrottled:
            pass

    threads = [threading.Thread(target=attempt) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 5
    assert _stored(key) == 5


def test_an_unreachable_redis_counts_in_the_database(db: Any, free_port: int) -> None:
    key = _key()
    with override_settings(PYITHU_REDIS_URL=f"redis://127.0.0.1:{free_port}/0"):
        throttles.reset_clients()
        try:
            for _ in range(2):
                services.begin_attempt({key: 2}, window_seconds=60)
            with pytest.raises(services.LoginThrottled):
                services.begin_attempt({key: 2}, window_seconds=60)
        finally:
            throttles.reset_clients()
    assert LoginFailure.objects.filter(key_digest=key).count() == 2
