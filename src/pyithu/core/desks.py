"""Desks: the staff pages each role works at, declared by the app that serves them.

A service app lists its desks on its ``AppConfig`` (``desks = [Desk(...)]``); the account home
shows a person the desks of the roles they hold, so nobody is given a link into a page their role
may not open, and ``accounts`` never imports a service app.
"""

from __future__ import annotations

from typing import NamedTuple

from django.apps import apps
from django.utils.functional import Promise


class Desk(NamedTuple):
    role: str  # an accounts.Role value
    url_name: str  # a URL name that takes no arguments
    label: str | Promise  # lazily translated


def desks_for(roles: set[str]) -> list[Desk]:
    """Every declared desk for any of these roles, in app order, each URL once."""
    seen: set[str] = set()
    found = []
    for app in apps.get_app_configs():
        for desk in getattr(app, "desks", ()):
            if desk.role in roles and desk.url_name not in seen:
                seen.add(desk.url_name)
                found.append(desk)
    return found


def unit_label(unit: str) -> str | None:
    """A role's unit (``clinic:respiratory``, a school, an outlet) as a person reads it, asked of
    the app that owns it (``AppConfig.unit_label(unit)``); None if no app names it."""
    for app in apps.get_app_configs():
        name_of = getattr(app, "unit_label", None)
        label = name_of(unit) if name_of else None
        if label:
            return label
    return None
