"""Limits hold across worker processes: the real server runs two gunicorn workers, and
parallel requests spread over both meet one limit (decision 0071)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from phone import Site


def _post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_the_money_api_rate_is_one_limit_across_workers(site: Site) -> None:
    # Given an agent's API token (30 money requests a minute)
    token = site.pyithu("staff", "token", "agent-kyaw", f"probe-{uuid.uuid4().hex[:6]}")
    raw = next(word for word in token.split() if word.startswith("pyt_"))
    body = json.dumps({"to": str(uuid.uuid4()), "currency": "MMK", "amount": "1"}).encode()

    def send(n: int) -> int:
        headers = {
            "Authorization": f"Bearer {raw}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"probe-{n}",
        }
        return _post(site.url + "/api/finance/transfers", body, headers)[0]

    # When 45 requests arrive at once, spread over both workers
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(send, range(45)))
    # Then at most 30 were let through (refused for their content), the rest throttled
    throttled = statuses.count(429)
    assert set(statuses) <= {400, 429}
    assert 15 <= throttled <= 45 and 45 - throttled <= 30


def test_parallel_wrong_passphrases_meet_one_limit(site: Site) -> None:
    handle = f"nobody{uuid.uuid4().hex[:8]}"
    body = urllib.parse.urlencode({"handle": handle, "passphrase": "wrong wrong wrong"}).encode()

    def guess(_n: int) -> str:
        # A browser's form post: the CSRF cookie and token of a fresh visit
        with urllib.request.urlopen(site.url + "/accounts/login/") as page:  # noqa: S310
            html = page.read().decode()
            cookie = page.headers["Set-Cookie"].split(";")[0]
        token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        data = body + f"&csrfmiddlewaretoken={token}".encode()
        headers = {
            "Cookie": cookie,
            "Origin": site.url,
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "en",
        }
        status, html = _post(site.url + "/accounts/login/", data, headers)
        assert status == 400
        return "throttled" if "Too many failed attempts" in html else "checked"

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(guess, range(16)))
    # The limit is 5 per handle and address: the rest are refused before any check
    assert 1 <= outcomes.count("checked") <= 5, outcomes
