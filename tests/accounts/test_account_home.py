"""The account home: each role's desks, and no link into a page the role may not open."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from pyithu.accounts.models import Role, User
from pyithu.core.desks import desks_for

PASSPHRASE = "tea leaf salad 1988"


def _log_in(client: Client, user: User) -> None:
    client.post(reverse("accounts:login"), {"handle": user.handle, "passphrase": PASSPHRASE})
    code = pyotp.TOTP(user.totp_secret).now()
    assert client.post(reverse("accounts:totp"), {"code": code}).status_code == 302


def test_every_declared_desk_is_a_page_without_arguments() -> None:
    desks = [desk for app in apps.get_app_configs() for desk in getattr(app, "desks", ())]
    assert desks
    for desk in desks:
        assert desk.role in Role.values, desk
        assert reverse(desk.url_name), desk


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.AUDITOR])
def test_staff_see_their_desks_and_each_desk_opens(make_staff: Any, role: str) -> None:
    # Given a member of staff signed in with their authenticator
    user = make_staff(f"{role}-desk", role, "communications")
    client = Client(HTTP_ACCEPT_LANGUAGE="my")
    _log_in(client, user)

    # When they open their account page
    html = client.get(reverse("accounts:home")).content.decode()

    # Then it links to exactly their role's desks, and each one opens for them
    desks = desks_for({role})
    assert desks
    for desk in desks:
        assert f'href="{reverse(desk.url_name)}"' in html
        assert client.get(reverse(desk.url_name)).status_code == 200, desk
    others = {d.url_name for d in desks_for(set(Role.values))} - {d.url_name for d in desks}
    for url_name in others:
        assert f'href="{reverse(url_name)}"' not in html
    # And the ministry is named, not given by its code
    assert "ဆက်သွယ်ရေး" in html


def test_a_citizen_sees_no_desks(client_my: Client, alice: User) -> None:
    client_my.force_login(alice)
    html = client_my.get(reverse("accounts:home")).content.decode()
    assert "/staff/" not in html and "/sync/" not in html


def test_the_handle_rule_is_told_before_a_first_attempt(client_my: Client) -> None:
    html = client_my.get(reverse("accounts:signup")).content.decode()
    assert "၃ လုံးမှ ၃၂ လုံး" in html
