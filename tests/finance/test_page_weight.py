"""The finance citizen pages on their own: each renders for a signed-in citizen in Burmese and
English, needs no script and fits the gzip budget (the suite-wide check covers every app)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from pyithu.core.pages import citizen_urls

STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/([^"]+)"')


@pytest.mark.parametrize("language", ["my", "en"])
def test_finance_citizen_pages_fit_the_budget(alice, currencies, language: str) -> None:
    client = Client()
    client.force_login(alice)
    client.cookies["lang"] = language
    urls = [u for u in citizen_urls() if u.startswith("/finance/")]
    assert len(urls) == 18  # with the money services page and the page for experts
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content
        # The one script: the deferred service-worker registration, never needed (0086)
        bare = html.replace(b'<script src="/static/core/offline.js" defer></script>', b"")
        assert b"<script" not in bare and b" style=" not in html, url
        css = b"".join(
            Path(finders.find(path)).read_bytes() for path in STYLESHEET.findall(html.decode())
        )
        size = len(gzip.compress(html, 9)) + len(gzip.compress(css, 9))
        assert size <= settings.PYITHU_PAGE_BUDGET_BYTES, f"{url} in {language}: {size} bytes"
