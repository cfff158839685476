from typing import Any

import pyotp
from django.test import Client
from django.urls import reverse

from pyithu.accounts.models import User
from pyithu.core.models import AuditEntry
from pyithu.portal.models import Service
from pyithu.portal.selectors import search_catalogue

PASSPHRASE = "tea leaf salad 1988"


def _staff_client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["lang"] = "en"
    client.post(reverse("accounts:login"), {"handle": user.handle, "passphrase": PASSPHRASE})
    client.post(reverse("accounts:totp"), {"code": pyotp.TOTP(user.totp_secret).now()})
    return client


def _form(service: Service, **changes: str) -> dict[str, str]:
    fields = ["slug", "mode", "sort_order", "internal_url"] + [
        f"{field}_{lang}"
        for field in ("name", "summary", "areas", "how_online", "how_offline")
        for lang in ("en", "my")
    ]
    data = {field: str(getattr(service, field)) for field in fields}
    data.update(ministry=str(service.ministry_id), is_active="on")
    return {**data, **changes}


def test_operator_edits_a_service_in_the_admin(olivia: User) -> None:
    # given an operator logged in with their second factor
    client = _staff_client(olivia)
    service = Service.objects.get(slug="nug-pay")
    url = reverse("admin:portal_service_change", args=[service.pk])
    assert client.get(reverse("admin:portal_service_changelist")).status_code == 200
    # when they link NUG Pay to a new module and rename it
    response = client.post(url, _form(service, name_en="Spring Wallet", internal_url="/finance/"))
    # then the change is saved, searchable at once, and in the audit log
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name_en, service.internal_url) == ("Spring Wallet", "/finance/")
    assert [found.slug for found in search_catalogue("spring wallet")[1]] == ["nug-pay"]
    assert (
        AuditEntry.objects.filter(
            action="admin.change.service", actor=olivia, target_id=str(service.pk)
        ).count()
        == 1
    )


def test_admin_refuses_a_link_to_another_host(olivia: User) -> None:
    # given an operator logged in with their second factor
    client = _staff_client(olivia)
    service = Service.objects.get(slug="nug-pay")
    url = reverse("admin:portal_service_change", args=[service.pk])
    # when they try to point the service at another website
    response = client.post(url, _form(service, internal_url="https://pay.example/"))
    # then the form is refused and nothing changed
    assert response.status_code == 200
    assert "Enter a path inside this site, such as /health/." in response.content.decode()
    service.refresh_from_db()
    assert service.internal_url == "/finance/"
    assert not AuditEntry.objects.filter(action="admin.change.service").exists()


def test_admin_pages_open(olivia: User, db: Any) -> None:
    # given an operator logged in with their second factor
    client = _staff_client(olivia)
    health = Service.objects.get(slug="tele-kyan-mar").ministry
    # when they open the ministry list, a ministry with its services, and the service list
    # filtered by mode
    pages = [
        reverse("admin:portal_ministry_changelist"),
        reverse("admin:portal_ministry_change", args=[health.pk]),
        reverse("admin:portal_service_changelist") + "?mode__exact=digital",
    ]
    # then each opens
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]
