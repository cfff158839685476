"""Where throttle reservations are counted: the database (the default, a laptop needs nothing
else) or Redis when ``PYITHU_REDIS_URL`` is set (a hub with several app servers). Both keep the
rule of decision 0071 (reserve first, then count; a refused attempt removes its own
reservation; a success removes it too) and decision 0085 (Redis, and what happens when it is
down).

Keys are keyed BLAKE2b digests (``sealing.digest``): neither store ever holds a handle or an
address.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import timezone

from pyithu.accounts.models import LoginFailure

logger = logging.getLogger(__name__)

REDIS_PREFIX = "pyithu:throttle:"

# One atomic step per attempt, on the Redis server's clock: drop what left the window, reserve
# one member per key, then count. Over the limit on any key: take the reservations back and
# answer how many milliseconds until the oldest reservation on that key leaves the window.
RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, window)
end
for i, key in ipairs(KEYS) do
  if redis.call('ZCARD', key) > tonumber(ARGV[2 + i]) then
    for _, other in ipairs(KEYS) do redis.call('ZREM', other, ARGV[2]) end
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    if oldest[2] then return tonumber(oldest[2]) + window - now end
    return window
  end
end
return -1
"""


@dataclass
class Reservation:
    """What :func:`reserve` took: database row ids, or one Redis member on several keys."""

    ids: list[Any] = field(default_factory=list)
    redis_keys: list[str] = field(default_factory=list)
    member: str = ""

    def release(self) -> None:
        if self.redis_keys:
            try:
                client = _redis()
                pipe = client.pipeline(transaction=False)
                for key in self.redis_keys:
                    pipe.zrem(key, self.member)
                pipe.execute()
            except _redis_errors() as exc:
                logger.warning("throttle: Redis unreachable releasing an attempt (%s)", exc)
        if self.ids:
            LoginFailure.objects.filter(pk__in=self.ids).delete()
        self.ids, self.redis_keys = [], []


class Refused(Exception):
    def __init__(self, wait_seconds: float) -> None:
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


def reserve(keys: dict[str, int], window_seconds: int) -> Reservation:
    """Reserve one attempt on every key, then count; raise :class:`Refused` past a limit."""
    if settings.PYITHU_REDIS_URL:
        try:
            return _reserve_redis(keys, window_seconds)
        except _redis_errors() as exc:
            # Down or unreachable: count in the database rather than let every guess through
            # or lock everyone out (decision 0085).
            logger.warning("throttle: Redis unreachable, counting in the database (%s)", exc)
    return _reserve_database(keys, window_seconds)


def forget(key: str) -> None:
    """Drop every reservation on one key (a successful login clears its pair key)."""
    if settings.PYITHU_REDIS_URL:
        try:
            _redis().delete(REDIS_PREFIX + key)
        except _redis_errors() as exc:
            logger.warning("throttle: Redis unreachable clearing a key (%s)", exc)
    LoginFailure.objects.filter(key_digest=key).delete()


def _reserve_database(keys: dict[str, int], window_seconds: int) -> Reservation:
    window = timedelta(seconds=window_seconds)
    since = timezone.now() - window
    # Rows older than the window count for nothing: each key keeps only its recent ones.
    LoginFailure.objects.filter(key_digest__in=list(keys), created_at__lt=since).delete()
    taken = Reservation(ids=[LoginFailure.objects.create(key_digest=key).pk for key in keys])
    for key, limit in keys.items():
        recent = LoginFailure.objects.filter(key_digest=key, created_at__gte=since)
        if recent.count() > limit:
            taken.release()
            oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
            wait = (oldest + window - timezone.now()).total_seconds() if oldest else 60
            raise Refused(wait)
    return taken


def _reserve_redis(keys: dict[str, int], window_seconds: int) -> Reservation:
    names = [REDIS_PREFIX + key for key in keys]
    member = uuid.uuid4().hex
    waited = _script()(keys=names, args=[window_seconds * 1000, member, *keys.values()])
    if int(waited) >= 0:
        raise Refused(int(waited) / 1000)
    return Reservation(redis_keys=names, member=member)


@cache
def _redis() -> Any:
    import redis

    # Short timeouts: a throttle that waits seconds for a dead Redis costs every login seconds.
    # The pool notices a fork (gunicorn workers) and opens its own connections in each child.
    return redis.Redis.from_url(
        settings.PYITHU_REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5
    )


@cache
def _script() -> Any:
    return _redis().register_script(RESERVE)


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.ConnectionError, redis.TimeoutError)


def reset_clients() -> None:
    """Forget the client (tests that change ``PYITHU_REDIS_URL``)."""
    _redis.cache_clear()
    _script.cache_clear()
