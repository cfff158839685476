"""Transports carry a message out: registered by name, so apps and deployments add their own.

A transport is any callable ``send(address, body) -> None`` that raises when it could not
deliver; the outbox then retries later. ``console`` ships (it prints, for laptops and demos);
Telegram, Signal and SMS adapters register themselves the same way when they exist.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

Transport = Callable[[str, str], None]


class UnknownTransport(Exception):
    """No transport is registered under the message's channel (yet)."""


_transports: dict[str, Transport] = {}


def register(name: str, transport: Transport) -> None:
    _transports[name] = transport


def unregister(name: str) -> None:
    _transports.pop(name, None)


def get(name: str) -> Transport:
    try:
        return _transports[name]
    except KeyError:
        raise UnknownTransport(name) from None


def names() -> list[str]:
    return sorted(_transports)


def console(address: str, body: str) -> None:
    """Print the message: the local transport for development and demos."""
    sys.stdout.write(f"[outbox] to {address}: {body}\n")
    sys.stdout.flush()


register("console", console)
