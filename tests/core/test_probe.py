"""Every page, every parameter, every form: probed with oversized, negative and malformed
values as anonymous, a citizen and a superuser. Nothing may answer 5xx; a NUL anywhere gets
the gate's 400."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from pyithu.accounts.models import User

HUGE = "ဖ" * 10_000 + "x" * 10_000  # over twice any text limit
QUERY = {
    "q": HUGE,
    "code": HUGE,
    "clinic": HUGE,
    "state": "-1",
    "page": "-1",
    "language": "zz",
    "next": "//evil.example/",
    "year": "99999999999",
    "day": "2026-13-45",
}
SKIP = ("api/", "staff/admin/", "accounts/logout/", "sms/inbound/", "chat/")


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    found = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(" not in route:
            found.append("/" + route.lstrip("^").rstrip("$"))
    return sorted({r for r in found if not r.lstrip("/").startswith(SKIP)})


class _Forms(HTMLParser):
    """The field names of each POST form on a page, and where it posts."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append((a.get("action") or "", []))
            self._open = True
        elif (
            tag in {"input", "textarea", "select"}
            and self._open
            and a.get("name") not in (None, "csrfmiddlewaretoken")
        ):
            self.forms[-1][1].append(a["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = False


@pytest.fixture
def people(alice: User, make_staff: Any) -> list[Client]:
    root = make_staff("probe-root")
    User.objects.filter(pk=root.pk).update(is_superuser=True)
    clients = []
    for user in (None, alice, root):
        client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="my")
        if user is not None:
            client.force_login(user)
        clients.append(client)
    return clients


def test_no_page_parameter_or_form_answers_5xx(people: list[Client]) -> None:
    failures = []
    for url in _routes(get_resolver().url_patterns):
        for client in people:
            page = client.get(url)
            if page.status_code >= 500:
                failures.append(("GET", url, page.status_code))
                continue
            probed = client.get(url, QUERY)
            if probed.status_code >= 500:
                failures.append(("GET?", url, probed.status_code))
            if client.get(url, {"q": "a\x00b"}).status_code != 400:
                failures.append(("NUL", url))
            if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
                continue
            parser = _Forms()
            parser.feed(page.content.decode("utf-8", "replace"))
            for action, fields in parser.forms:
                target = action or url
                if target.startswith(("http", "//")) or target.startswith(
                    ("/api/", "/accounts/logout/")
                ):
                    continue
                for value in (HUGE, "-1", "not-an-id"):
                    sent = client.post(target, dict.fromkeys(fields, value))
                    if sent.status_code >= 500:
                        failures.append(("POST", target, value[:10], sent.status_code))
    assert failures == [], [(f[0], f[1], f[-1]) for f in failures]
