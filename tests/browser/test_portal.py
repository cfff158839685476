"""Participation in a real browser: the home catalogue's ways in, a survey answered (township
picked by name), feedback given and followed by its code, the reach dashboard, townships
browsed by state, and the language switch."""

from __future__ import annotations

from django.utils import translation
from phone import Phone

# What the home page's "Use online now" links lead to (the catalogue's services run here).
SERVICE_PATHS = [
    "/health/",
    "/health/clinics/",
    "/finance/lottery/",
    "/finance/deposits/",
    "/finance/",
    "/education/schools/",
    "/education/admissions/",
    "/education/exam/",
    "/reach/",
]


def t(text: str) -> str:
    with translation.override("my"):
        return translation.gettext(text)


def _heading(phone: Phone) -> str:
    return phone.page.locator("h1").first.inner_text().strip()


def test_every_service_run_here_is_one_tap_from_home(phone: Phone) -> None:
    page = phone.open("/")
    box = page.locator("section.card").first
    hrefs = box.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs[: len(SERVICE_PATHS)] == SERVICE_PATHS
    for index, href in enumerate(hrefs):
        phone.open("/")
        # Pages of other services are weighed by their own suites; here: the link leads there
        with page.expect_navigation() as navigation:
            page.locator("section.card").first.locator("a").nth(index).click()
        response = navigation.value
        assert response is not None and response.status < 400, href
        assert t("Page not found") not in page.content(), href
        phone._bytes.clear()


def test_a_person_answers_the_trust_survey_picking_the_township_by_name(phone: Phone) -> None:
    phone.open("/")
    phone.click(t("Surveys: tell us what you think"))
    page = phone.page
    page.locator("main h2 a").first.click()
    phone.check()
    # Answers every question with its first option, and types part of a township's name
    for name in set(
        page.locator("form input[type=radio]").evaluate_all("inputs => inputs.map(i => i.name)")
    ):
        page.locator(f"form input[type=radio][name={name}]").first.check()
    page.locator("form input[type=text][name=township]").fill("မြစ်")
    phone.submit(t("Send my answers"))
    # Two townships match: the page asks which, and offers just those
    assert t("Several townships match. Pick yours below.") in page.content()
    picks = page.locator("fieldset.picks input[type=radio]")
    assert picks.count() == 2
    page.get_by_label("မြစ်ကြီးနား").check()
    phone.submit(t("Send my answers"))
    assert _heading(phone) == t("Thank you for answering.")
    phone.click(t("Surveys"))


def test_feedback_is_given_and_followed_up_by_its_code(phone: Phone) -> None:
    page = phone.open("/")
    page.locator('a[href="/services/tele-kyan-mar/"]').click()
    phone.check()
    page.locator("#tell-us input[type=radio]").first.check()
    page.locator("#tell-us textarea").fill("ဆရာဝန်နှင့် တွေ့ရန် စောင့်ရချိန် ကြာလွန်းသည်။")
    phone.submit(t("Send"))
    assert _heading(phone) == t("Thank you. Your message was sent.")
    code = page.locator(".codes").inner_text().strip()
    assert code
    phone.click(t("Follow feedback you sent"))
    page.locator("main form input[type=text]").first.fill(code)
    phone.submit(t("Show the conversation"))
    assert "စောင့်ရချိန် ကြာလွန်းသည်" in page.content()
    # A wrong code is refused
    phone.open("/")
    phone.click(t("Follow up your feedback"))
    page.locator("main form input[type=text]").first.fill("XXXX-XXXX-XXXX")
    phone.submit(t("Show the conversation"))
    assert "စောင့်ရချိန် ကြာလွန်းသည်" not in page.content()


def test_the_reach_dashboard_and_its_years(phone: Phone) -> None:
    phone.open("/")
    phone.click(t("Where services reach"))
    assert phone.page.locator("svg.dotmap circle").count() > 300
    phone.click("၂၀၂၄")
    assert "year=2024" in phone.page.url
    phone.click(t("All years"))


def test_townships_are_browsed_by_state_and_found_by_name(phone: Phone) -> None:
    phone.open("/")
    phone.click(t("Townships"))
    phone.click("ကချင်ပြည်နယ်")
    assert phone.page.get_by_text("မြစ်ကြီးနား").count()
    phone.click(t("All states and regions"))
    phone.fill(t("Township name or P-code"), "Myitkyina")
    phone.submit(t("Search"))
    assert phone.page.get_by_text("မြစ်ကြီးနား").count()


def test_the_language_switch_keeps_the_page(phone: Phone) -> None:
    phone.open("/")
    phone.click(t("Townships"))
    phone.click("English")
    assert phone.page.locator("html").get_attribute("lang") == "en"
    assert phone.page.url.endswith("/places/townships/")
    phone.click("မြန်မာ")
    assert phone.page.locator("html").get_attribute("lang") == "my"


def test_every_ministry_and_service_page_reads_in_burmese(phone: Phone) -> None:
    page = phone.open("/")
    ministries = page.locator('main a[href^="/ministries/"]').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    services = page.locator('main a[href^="/services/"]').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(ministries) == 17 and len(services) >= 37
    for href in ministries + services:
        phone.open("/")
        page.locator(f'main a[href="{href}"]').first.click()
        phone.check()
    phone.click(t("How to use this service safely and anonymously"))
    phone.open("/")
    phone.fill(t("Search services"), "ကျန်းမာ")
    phone.submit(t("Search"))
    assert phone.page.locator('main a[href="/services/tele-kyan-mar/"]').count()


def test_staff_answer_feedback_and_the_sender_reads_it_by_code(phone: Phone) -> None:
    from uuid import uuid4

    from test_accounts import DEMO_PASSPHRASE, _log_in, _log_out

    mark = uuid4().hex[:6]
    message = f"အင်တာနက် ဖြတ်တောက်ခံရသည်။ {mark}"
    page = phone.open("/")
    page.locator('a[href="/services/telecommunications/"]').first.click()
    phone.check()
    page.locator("#tell-us input[type=radio]").first.check()
    page.locator("#tell-us textarea").fill(message)
    phone.submit(t("Send"))
    code = page.locator(".codes").inner_text().strip()

    # An operator of the ministry finds it from their desk and answers
    phone.open("/")
    _log_in(phone, "operator-olivia", DEMO_PASSPHRASE)
    phone.fill(t("Six-digit code from your authenticator app"), phone.site.totp("operator-olivia"))
    phone.submit(t("Continue"))
    phone.click(t("Feedback from citizens"))
    links = page.locator("main table a")
    for index in range(links.count()):
        links.nth(index).click()
        phone.check()
        if mark in page.content():
            break
        page.go_back()
    assert mark in page.content()
    phone.fill(t("Answer"), "ဆက်သွယ်ရေးအဖွဲ့က စစ်ဆေးနေပါသည်။")
    phone.submit(t("Send the answer"))
    _log_out(phone)

    # The sender follows it with the code and reads the answer
    phone.click(t("Follow up your feedback"))
    page.locator("main form input[type=text]").first.fill(code)
    phone.submit(t("Show the conversation"))
    assert "ဆက်သွယ်ရေးအဖွဲ့က စစ်ဆေးနေပါသည်။" in page.content()
