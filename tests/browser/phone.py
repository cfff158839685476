"""What a test holds: the running site, and a phone that weighs and measures every page."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Response

PAGE_BUDGET_BYTES = 14 * 1024
# Latin words a Burmese reader may meet: proper names and names of things they type or install.
# Anything else in Latin letters must be translated, or marked as not for translation
# (`translate="no"`: handles, codes, signed texts) or as another language (`lang="en"`).
PROPER_NAMES = {
    "Pyithu",
    "Telegram",
    "Viber",
    "SMS",
    "QR",
    "OTP",
    "TOTP",
    "PIN",
    "MMK",
    "USD",
    "THB",
    "CSV",
    "JPEG",
    "PNG",
    "USB",
    # Names of organisations and brands, written in Latin letters in Burmese text too.
    "NUG",
    "NUG Pay",
    "Spring Development Bank",
    "BECA",
    "CDM",
    "Facebook",
    "Messenger",
    "Aegis",
    "FreeOTP",
    "Google Authenticator",
}
# Every visible text node outside `translate="no"` and other-language elements.
# Names of several words (in PROPER_NAMES) are taken out of the text before it is cut into words.
VISIBLE_LATIN_WORDS = """(names) => {
  const skip = '[translate="no"], [lang]:not([lang="my"]), script, style, [hidden]';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const words = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(skip)) continue;
    let text = node.textContent;
    for (const name of names) text = text.split(name).join(' ');
    for (const word of text.match(/[A-Za-z][A-Za-z'’-]+/g) || []) words.push(word);
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (el.closest(skip)) continue;
    words.push(...(el.placeholder.match(/[A-Za-z][A-Za-z'’-]+/g) || []));
  }
  return words;
}"""
SCREEN = {"width": 360, "height": 740}
BIN = Path(sys.executable).parent


@dataclass
class Site:
    """The running server and how to reach it."""

    url: str
    env: dict[str, str]

    def pyithu(self, *args: str) -> str:
        """Run an operator command against the server's own database (e.g. a TOTP code)."""
        done = subprocess.run(
            [str(BIN / "pyithu"), *args], env=self.env, capture_output=True, text=True, check=True
        )
        return done.stdout

    def totp(self, handle: str) -> str:
        return self.pyithu("totp-code", handle).strip().split()[-1]


@dataclass
class Visit:
    url: str
    transferred: int
    width: int


@dataclass
class Phone:
    """A person's phone: one browser context, weighing and measuring every page it opens."""

    page: Page
    site: Site
    visits: list[Visit] = field(default_factory=list)
    _bytes: dict[str, int] = field(default_factory=dict)

    def open(self, path: str) -> Page:
        """Type an address: only where a person would be given one (the home page, a slip)."""
        self.page.goto(self.site.url + path)
        self.check()
        return self.page

    def click(self, name: str, *, role: str = "link", exact: bool = False) -> Page:
        self.page.get_by_role(role, name=name, exact=exact).first.click()
        self.page.wait_for_load_state()
        self.check()
        return self.page

    def submit(self, name: str) -> Page:
        return self.click(name, role="button")

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=False).first.fill(value)

    def check(self) -> None:
        """The page now on screen: within the byte budget, no wider than the screen and, in
        Burmese, with no English left outside proper names."""
        self.page.wait_for_load_state()
        url = self.page.url
        transferred = self._bytes.pop("document", 0) + self._bytes.pop("stylesheet", 0)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        self.visits.append(Visit(url, transferred, width))
        assert transferred <= PAGE_BUDGET_BYTES, f"{url}: {transferred} bytes transferred"
        assert width <= SCREEN["width"], f"{url}: {width} px wide"
        if self.page.locator("html").get_attribute("lang") == "my":
            phrases = sorted((n for n in PROPER_NAMES if " " in n), key=len, reverse=True)
            words = self.page.evaluate(VISIBLE_LATIN_WORDS, phrases)
            english = sorted(set(words) - PROPER_NAMES)
            assert not english, f"{url}: English in Burmese mode: {english}"

    def _count(self, response: Response) -> None:
        kind = response.request.resource_type
        if kind not in {"document", "stylesheet"}:
            return
        sizes = response.request.sizes()
        self._bytes[kind] = (
            self._bytes.get(kind, 0) + sizes["responseHeadersSize"] + sizes["responseBodySize"]
        )


def open_phone(browser: Browser, site: Site, **options: Any) -> Phone:
    """A person's phone: a fresh browser context with JavaScript off, a 360x740 screen and
    Burmese, weighing every page it opens. ``options`` go to the context (e.g. a saved
    ``storage_state``); the caller closes ``phone.page.context``."""
    context = browser.new_context(
        **options,
        java_script_enabled=False,
        viewport=SCREEN,
        locale="my-MM",
        extra_http_headers={"Accept-Language": "my"},
    )
    page = context.new_page()
    phone = Phone(page=page, site=site)
    page.on("response", phone._count)
    return phone
