"""Transports carry a message out: registered by name, so apps and deployments add their own.

A transport is any callable ``send(address, body) -> None`` that raises when it could not
deliver; the outbox then retries later. ``console`` ships (it prints, for laptops and demos);
the SMS and Telegram adapters register themselves the same way from their apps.

Two optional extras, given when registering:

- ``measure(body) -> Usage``: what one message costs on this channel (SMS segments and price);
  the outbox records it on the message when it is queued.
- ``keyed=True``: the transport is called ``send(address, body, key=...)`` with a key that is
  the same on every attempt of one message, so a gateway that got a message but whose answer
  was lost can drop the retry (an idempotency key).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Transport = Callable[..., None]


@dataclass(frozen=True)
class Usage:
    """What one message uses on its channel: parts sent, and their price in minor units."""

    segments: int = 0
    cost: int = 0


Meter = Callable[[str], Usage]


@dataclass(frozen=True)
class Registration:
    send: Transport
    measure: Meter | None = None
    keyed: bool = False


class UnknownTransport(Exception):
    """No transport is registered under the message's channel (yet)."""


class Undeliverable(Exception):
    """Raised by a transport when retrying cannot help (the gateway refused the number):
    the outbox fails the message at once instead of retrying it."""


_transports: dict[str, Registration] = {}


def register(
    name: str, transport: Transport, *, measure: Meter | None = None, keyed: bool = False
) -> None:
    _transports[name] = Registration(transport, measure, keyed)


def unregister(name: str) -> None:
    _transports.pop(name, None)


def _registration(name: str) -> Registration:
    try:
        return _transports[name]
    except KeyError:
        raise UnknownTransport(name) from None


def get(name: str) -> Transport:
    return _registration(name).send


def names() -> list[str]:
    return sorted(_transports)


def measure(name: str, body: str) -> Usage:
    """The usage of ``body`` on channel ``name``; nothing known (zeros) without a meter."""
    registration = _transports.get(name)
    if registration is None or registration.measure is None:
        return Usage()
    return registration.measure(body)


def send(name: str, address: str, body: str, *, key: str) -> Any:
    """Hand one message to its transport (with the attempt-stable ``key`` if it takes one)."""
    registration = _registration(name)
    if registration.keyed:
        return registration.send(address, body, key=key)
    return registration.send(address, body)


def console(address: str, body: str) -> None:
    """Print the message: the local transport for development and demos."""
    sys.stdout.write(f"[outbox] to {address}: {body}\n")
    sys.stdout.flush()


register("console", console)
