"""The service worker that keeps a form post made offline (decision 0086): small, served from
the site's root, allowed by the CSP and nothing more, and never needed for a page to work."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client

from pyithu.core.middleware import DEFAULT_POLICY


def test_the_service_worker_is_at_most_10_kib() -> None:
    for name in ("core/sw.js", "core/offline.js"):
        path = finders.find(name)
        assert path, name
        with open(path, "rb") as fh:
            assert len(fh.read()) <= 10 * 1024, name


def test_it_is_served_from_the_root_and_checked_on_every_visit(client: Client, db: Any) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert b"form_once" in response.content


def test_the_csp_allows_only_the_sites_own_worker_and_scripts(client: Client, db: Any) -> None:
    csp = client.get("/")["Content-Security-Policy"]
    assert csp == DEFAULT_POLICY
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["worker-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in csp


def test_pages_load_the_registration_deferred_from_the_site(client: Client, db: Any) -> None:
    html = client.get("/").content.decode()
    assert '<script src="/static/core/offline.js" defer></script>' in html


def test_the_waiting_page_says_the_post_is_kept_in_burmese(client_my: Client, db: Any) -> None:
    html = client_my.get("/offline/waiting/").content.decode()
    assert "ဤဖုန်းထဲတွင် သိမ်းထားပါသည်" in html and 'id="sent" role="status" hidden' in html


def test_the_kept_copy_of_the_waiting_page_names_nobody(alice: Any) -> None:
    client = Client()
    client.force_login(alice)
    html = client.get("/offline/waiting/").content.decode()
    assert "alice" not in html and "form_once" not in html
