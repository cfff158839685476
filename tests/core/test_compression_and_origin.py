"""Pages go compressed, forms work the way browsers post them (decision 0070)."""

from __future__ import annotations

import gzip
import re
from typing import Any

from django.test import Client

LOGIN = "/accounts/login/"


def test_html_is_gzip_compressed_when_the_browser_asks(db: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="my")
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert '<html lang="my">' in gzip.decompress(response.content).decode()
    # And without asking, it is sent plain
    assert "Content-Encoding" not in client.get("/")


def test_compressed_length_varies_from_response_to_response(db: Any) -> None:
    # GZipMiddleware pads the gzip header with random bytes ("Heal the Breach")
    client = Client()
    sizes = {len(client.get("/", HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}
    assert len(sizes) > 1


def test_referrer_policy_keeps_the_origin_for_our_own_forms(db: Any) -> None:
    assert Client().get("/")["Referrer-Policy"] == "same-origin"


def _csrf_client() -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    html = client.get(LOGIN).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return client, token


def test_a_form_posted_with_our_origin_is_accepted(db: Any) -> None:
    # As a browser posts under "same-origin": the real Origin header, the cookie, the token
    client, token = _csrf_client()
    response = client.post(
        LOGIN,
        {"csrfmiddlewaretoken": token, "handle": "nobody-here", "passphrase": "wrong one 123"},
        HTTP_ORIGIN="http://testserver",
    )
    # The form is processed (a refused log-in), not stopped by the CSRF check
    assert response.status_code in (200, 400)
    assert "The form was not sent" not in response.content.decode()


def test_a_form_posted_from_another_site_or_a_null_origin_is_refused(db: Any) -> None:
    for origin in ("https://evil.example", "null"):
        client, token = _csrf_client()
        response = client.post(
            LOGIN,
            {"csrfmiddlewaretoken": token, "handle": "nobody-here", "passphrase": "x" * 12},
            HTTP_ORIGIN=origin,
        )
        assert response.status_code == 403, origin
        assert "The form was not sent" in response.content.decode()
