"""A first visit: the home page in Burmese, then an account made and used, by forms alone."""

from __future__ import annotations

from phone import Phone


def test_a_new_person_creates_an_account_and_logs_in(phone: Phone) -> None:
    page = phone.open("/")
    assert page.locator("html").get_attribute("lang") == "my"
    phone.click("အကောင့်ဖွင့်ရန်")
    print(page.content()[:3000])
