"""Every citizen page: light (HTML + CSS under the gzip budget), private (nothing from another
host), translated, and safe (security headers)."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from pyithu.accounts.models import User
from pyithu.core.pages import citizen_urls


class _Loads(HTMLParser):
    """Collects every URL a page would load by itself (not links a person may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for attr in ("src", "srcset", "poster", "data", "action", "formaction"):
            if a.get(attr):
                self.loads.append(a[attr] or "")
        if tag == "link" and a.get("href"):
            self.loads.append(a["href"] or "")
            if "stylesheet" in (a.get("rel") or ""):
                self.stylesheets.append(a["href"] or "")
        if tag == "script":
            # Only the deferred service-worker registration from the site (decision 0086).
            self.scripts.append(a.get("src") or "inline" if "defer" in a else "not deferred")
        if a.get("style"):
            self.loads.extend(re.findall(r"url\(([^)]*)\)", a["style"] or ""))


EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


def _static_bytes(url: str) -> bytes:
    path = finders.find(
        url.removeprefix(
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL
        )
    )
    assert path, f"stylesheet {url} not found"
    with open(path, "rb") as fh:
        return fh.read()


def test_there_are_citizen_pages_to_check(db: Any) -> None:
    urls = citizen_urls()
    assert "/" in urls and "/accounts/signup/" in urls and "/places/townships/" in urls


@pytest.mark.parametrize("language", ["my", "en"])
def test_every_citizen_page_fits_the_budget_and_loads_nothing_from_elsewhere(
    alice_client: Client, language: str
) -> None:
    alice_client.cookies["lang"] = language
    for url in citizen_urls():
        response = alice_client.get(url)
        assert response.status_code == 200, url
        html = response.content
        parser = _Loads()
        parser.feed(html.decode())
        external = [u for u in parser.loads if EXTERNAL.match(u)]
        assert external == [], f"{url} loads from another host: {external}"
        offline = settings.STATIC_URL.rstrip("/") + "/core/offline.js"
        assert all(s.endswith(offline) for s in parser.scripts), f"{url}: {parser.scripts}"
        css = b"".join(_static_bytes(u) for u in parser.stylesheets + parser.scripts)
        for stylesheet_css in [css]:
            assert not EXTERNAL.search(stylesheet_css.decode()), "CSS imports from another host"
        size = len(gzip.compress(html, 9)) + len(gzip.compress(css, 9))
        assert size <= settings.PYITHU_PAGE_BUDGET_BYTES, f"{url} in {language}: {size} bytes gzip"


def test_pages_carry_the_security_headers(client: Client, db: Any) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_language_choice_is_remembered_without_an_account(client: Client, db: Any) -> None:
    response = client.get("/language/en/?next=/places/townships/")
    assert response.status_code == 302 and response.url == "/places/townships/"
    page = client.get("/")
    assert page.wsgi_request.LANGUAGE_CODE == "en"
    client.get("/language/my/?next=/")
    assert client.get("/").wsgi_request.LANGUAGE_CODE == "my"


def test_language_switch_never_redirects_off_site(client: Client, db: Any) -> None:
    response = client.get("/language/en/?next=https://evil.example/")
    assert response.url == "/"


def test_ethnic_languages_fall_back_to_burmese(client: Client, db: Any) -> None:
    client.get("/language/shn/")
    page = client.get("/accounts/login/").content.decode()
    # An untranslated string shows in Burmese, not English
    assert "အကောင့်" in page  # "account" (from "Create account") in Burmese
    assert 'lang="shn"' in page


def test_the_myanmar_font_is_off_by_default_and_switchable(client: Client, db: Any) -> None:
    assert b"font.css" not in client.get("/").content
    client.get("/font/?next=/")
    page = client.get("/").content.decode()
    assert "core/font.css" in page
    css = _static_bytes(settings.STATIC_URL + "core/font.css").decode()
    assert "myanmar.woff2" in css and not EXTERNAL.search(css)
    client.get("/font/?next=/")
    assert b"font.css" not in client.get("/").content
