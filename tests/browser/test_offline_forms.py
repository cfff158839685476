"""The phone keeps what was typed (decision 0086): with JavaScript on, a form sent while the link
is down is kept on the phone by the site's service worker, the person sees that it waits, and
when the link returns it is sent and arrives exactly once.

The rest of the suite runs with JavaScript off (every page works without it); this test opens
its own browser context with JavaScript and service workers on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from phone import SCREEN, Phone, Site
from playwright.sync_api import Browser, expect

CATALOGUE = Path(__file__).parents[2] / "src/pyithu/locale/my/LC_MESSAGES/django.po"
BURMESE = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGUE)) if e.msgstr}
COUNT_CASES = "from pyithu.health.models import Consultation; print(Consultation.objects.count())"


def _(english: str) -> str:
    return BURMESE[english]


def cases(site: Site) -> int:
    return int(site.pyithu("shell", "-c", COUNT_CASES).split()[-1])


@pytest.fixture
def js_phone(browser: Browser, site: Site) -> Iterator[Phone]:
    context = browser.new_context(
        java_script_enabled=True,
        service_workers="allow",
        viewport=SCREEN,
        locale="my-MM",
        extra_http_headers={"Accept-Language": "my"},
    )
    phone = Phone(page=context.new_page(), site=site)
    phone.page.on("response", phone._count)
    yield phone
    context.close()


def test_a_booking_sent_offline_waits_on_the_phone_and_arrives_once(
    js_phone: Phone, site: Site
) -> None:
    page = js_phone.page
    # Given a patient who opened the booking form once while connected (the worker installs)
    js_phone.open("/health/book/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    before = cases(site)
    js_phone.fill(_("What is wrong? In your own words"), "ခေါင်းကိုက်တာ သုံးရက်ရှိပြီ")
    page.get_by_label(_("Age"), exact=True).select_option(label=_("18 to 39"))
    page.get_by_label(_("female"), exact=True).check()
    page.get_by_label(_("Or, if you are abroad, the country")).select_option(label=_("Thailand"))
    # When the link goes down and she presses Book
    page.context.set_offline(True)
    page.get_by_role("button", name=_("Book")).first.click()
    # Then she reads, in Burmese, that it is kept on this phone and will be sent
    expect(page.get_by_role("heading", name=_("Saved on this phone"))).to_be_visible()
    js_phone.check()
    assert cases(site) == before
    # When the link returns, it is sent by itself and she sees that it arrived
    page.context.set_offline(False)
    page.evaluate("dispatchEvent(new Event('online'))")
    expect(page.get_by_role("heading", name=_("Sent: it arrived"))).to_be_visible(timeout=30_000)
    assert cases(site) == before + 1
    # And the answer is the booking page with her code, shown once
    page.get_by_role("link", name=_("See the answer")).click()
    code = page.locator(".codes").inner_text().strip()
    assert re.fullmatch(r"[0-9a-z]{4}(-[0-9a-z]{4}){3}", code), code
    # And asking the worker to send again sends nothing twice
    page.evaluate("navigator.serviceWorker.controller.postMessage('flush')")
    page.wait_for_timeout(1000)
    assert cases(site) == before + 1


def test_a_passphrase_is_never_kept_on_the_phone(js_phone: Phone) -> None:
    page = js_phone.page
    js_phone.open("/accounts/login/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    js_phone.fill(_("Handle"), "alice")
    js_phone.fill(_("Passphrase"), "spring rice river 2025")
    # When the link is down and they press Log in
    page.context.set_offline(True)
    page.get_by_role("button", name=_("Log in")).first.click()
    page.wait_for_timeout(1500)
    assert _("Saved on this phone") not in page.content()
    page.context.set_offline(False)
    # Then nothing was kept on the phone: the browser said it is offline, as with no worker
    js_phone.open("/accounts/login/")
    kept = page.evaluate(
        """() => indexedDB.databases().then(all => !all.some(d => d.name === 'pyithu') ? 0 :
          new Promise(ok => { const r = indexedDB.open('pyithu', 1);
            r.onsuccess = () => { const q = r.result.transaction('posts').objectStore('posts')
              .count(); q.onsuccess = () => ok(q.result); }; }))"""
    )
    assert kept == 0
