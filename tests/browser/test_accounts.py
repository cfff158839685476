"""Accounts in a real browser: sign up, log in and out, recover, change, delete; staff with
TOTP landing on their desks; the error pages a person may meet, in Burmese with a way home."""

from __future__ import annotations

from uuid import uuid4

from django.utils import translation
from phone import Phone

PASSPHRASE = "tea leaf salad 1988"
NEW_PASSPHRASE = "monsoon river tea 2026"
DEMO_PASSPHRASE = "spring rice river 2025"


def t(text: str) -> str:
    """What the Burmese page says for this English text (the project's own catalogue)."""
    with translation.override("my"):
        return translation.gettext(text)


def _heading(phone: Phone) -> str:
    return phone.page.locator("h1").first.inner_text().strip()


def _sign_up(phone: Phone, handle: str) -> list[str]:
    phone.open("/")
    phone.click(t("Create account"))
    # The handle rule is told before any attempt
    rule = "A made-up name, not your real one: 3 to 32 small English letters, digits, - or _, "
    assert t(rule + "starting with a letter or digit. Others never see it.") in phone.page.content()
    phone.fill(t("Handle"), handle)
    phone.page.locator("#id_passphrase").fill(PASSPHRASE)
    phone.page.locator("#id_passphrase_again").fill(PASSPHRASE)
    phone.submit(t("Create account"))
    assert _heading(phone) == t("Your account is ready")
    codes = phone.page.locator(".codes li").all_inner_texts()
    assert len(codes) >= 5
    return codes


def _log_out(phone: Phone) -> None:
    phone.submit(t("Log out"))
    assert phone.page.get_by_role("link", name=t("Log in")).count()


def _log_in(phone: Phone, handle: str, passphrase: str) -> None:
    phone.click(t("Log in"))
    phone.fill(t("Handle"), handle)
    phone.page.locator("#id_passphrase").fill(passphrase)
    phone.submit(t("Log in"))


def test_a_citizen_signs_up_logs_in_recovers_changes_and_deletes(phone: Phone) -> None:
    handle = f"mya{uuid4().hex[:6]}"
    # Signs up, is shown recovery codes once, and goes on by a link
    codes = _sign_up(phone, handle)
    phone.click(t("I have written them down"))
    assert _heading(phone) == t("My account")

    # Logs out and in again
    _log_out(phone)
    _log_in(phone, handle, PASSPHRASE)
    assert _heading(phone) == t("My account")
    _log_out(phone)

    # A wrong passphrase is refused in Burmese
    _log_in(phone, handle, "not my passphrase at all")
    assert _heading(phone) == t("Log in")

    # Forgot the passphrase: a recovery code sets a new one
    phone.click(t("Forgot your passphrase? Use a recovery code."))
    phone.fill(t("Handle"), handle)
    phone.fill(t("One recovery code"), codes[0])
    phone.fill(t("New passphrase"), NEW_PASSPHRASE)
    phone.submit(t("Set new passphrase"))
    assert _heading(phone) == t("My account")
    assert t("Your new passphrase is set. That recovery code is used up.") in phone.page.content()

    # Changes the passphrase back, with a link home afterwards
    phone.click(t("Change passphrase"))
    phone.fill(t("Current passphrase"), NEW_PASSPHRASE)
    phone.page.locator("#id_passphrase").fill(PASSPHRASE)
    again = phone.page.locator("#id_passphrase_again")
    if again.count():
        again.fill(PASSPHRASE)
    phone.submit(t("Save"))
    assert t("Your passphrase is changed.") in phone.page.content()

    # Deletes the account, and cannot log in with it any more
    phone.click(t("Delete my account"))
    phone.fill(t("Your passphrase"), PASSPHRASE)
    phone.submit(t("Delete"))
    assert t("Your account is deleted.") in phone.page.content()
    _log_in(phone, handle, PASSPHRASE)
    assert _heading(phone) == t("Log in")


def test_an_operator_logs_in_with_totp_and_lands_on_their_desks(phone: Phone) -> None:
    phone.open("/")
    _log_in(phone, "operator-olivia", DEMO_PASSPHRASE)
    phone.fill(t("Six-digit code from your authenticator app"), phone.site.totp("operator-olivia"))
    phone.submit(t("Continue"))
    assert _heading(phone) == t("My account")
    # Each desk is a link that opens, in Burmese, within the budget
    for label in (
        "Surveys and their results",
        "Feedback from citizens",
        "Record internet shutdowns",
        "Sync with other sites",
    ):
        phone.click(t(label))
        assert phone.page.url != phone.site.url + "/accounts/"
        if label == "Surveys and their results":
            # The trust survey's results, cross-tabulated, on a phone
            phone.page.locator('main a[href^="/staff/surveys/trust"]').first.click()
            phone.check()
            phone.page.go_back()
        phone.page.go_back()
    # And no desk of another role is offered
    assert not phone.page.get_by_role("link", name=t("Audit log")).count()


def test_error_pages_are_in_burmese_with_a_way_home(phone: Phone) -> None:
    # A mistyped address
    phone.open("/no-such-page/")
    assert _heading(phone) == t("Page not found")
    phone.click(t("Go to the home page"))
    assert phone.page.url == phone.site.url + "/"

    # A citizen opening a staff page
    _sign_up(phone, f"mya{uuid4().hex[:6]}")
    phone.open("/staff/feedback/")
    assert _heading(phone) == t("You cannot open this page")
    phone.click(t("Your account and your desks"))
    assert _heading(phone) == t("My account")


def test_a_form_sent_without_the_sites_cookie_gets_a_plain_page(phone: Phone) -> None:
    phone.open("/")
    phone.click(t("Log in"))
    phone.page.context.clear_cookies()
    phone.fill(t("Handle"), "somebody")
    phone.page.locator("#id_passphrase").fill(PASSPHRASE)
    phone.submit(t("Log in"))
    assert _heading(phone) == t("The form was not sent")
    phone.click(t("Go to the home page"))
