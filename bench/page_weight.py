"""Weight of every citizen page: raw and gzip bytes of HTML and CSS, per language.

    .venv/bin/python bench/page_weight.py

Runs against an in-memory database with the reference data loaded, as a signed-in citizen.
"""

from __future__ import annotations

import gzip
import os
import re

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pyithu.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from pyithu.accounts.services import create_citizen_account  # noqa: E402
from pyithu.core.pages import citizen_urls  # noqa: E402


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_geography", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    user, _ = create_citizen_account("bench-reader", "bench reader passphrase 1")
    budget = settings.PYITHU_PAGE_BUDGET_BYTES
    print(
        f"{'page':38} {'lang':4}"
        f" {'html':>7} {'html.gz':>8} {'css.gz':>7} {'gz':>9} {'of budget':>9}"
    )
    for url in citizen_urls():
        for language in ("my", "en"):
            client = Client()
            client.force_login(user)
            client.cookies["lang"] = language
            html = client.get(url).content
            css = b"".join(
                open(finders.find(href.removeprefix("/static/")), "rb").read()  # noqa: SIM115
                for href in re.findall(rb'rel="stylesheet" href="([^"]+)"', html)
                for href in [href.decode()]
            )
            hz, cz = len(gzip.compress(html, 9)), len(gzip.compress(css, 9))
            share = f"{100 * (hz + cz) / budget:.0f}%"
            print(f"{url:38} {language:4} {len(html):7} {hz:8} {cz:7} {hz + cz:9} {share:>7}")


if __name__ == "__main__":
    main()
