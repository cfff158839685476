"""Education in a real browser, by links and forms: the registry, recognition, admissions by
voucher, a timed exam left and resumed, marking, release, result, certificate and its check,
and the refusals a person meets on the way.

Codes a person is handed on paper (exam slips, the demo's printed codes, voucher slips) are
typed; everything else is reached by clicking. Staff reach their desks from their account page.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any
from uuid import uuid4

from phone import PAGE_BUDGET_BYTES, SCREEN, Phone, Site, open_phone
from playwright.sync_api import Browser

LOCALE = Path(__file__).parents[2] / "src" / "pyithu" / "locale"
CATALOGUE = gettext.translation("django", localedir=LOCALE, languages=["my"], fallback=True)
PASSPHRASE = "spring rice river 2025"  # printed by `pyithu demo`
OPEN_SITTING = "ပဉ္စမတန်း လယ်ဝက်စာမေးပွဲ (နမူနာ)"
CLOSED_SITTING = "ပဉ္စမတန်း စာမေးပွဲ ပြီးဆုံး (နမူနာ)"


def t(msgid: str) -> str:
    """The Burmese a person reads for one of the site's strings."""
    return CATALOGUE.gettext(msgid)


def printed(site: Site, pattern: str) -> list[str]:
    """What `pyithu demo` printed for a new user (the server's log holds its output)."""
    log = (Path(site.env["PYITHU_VAR_DIR"]) / "server.log").read_text()
    return re.findall(pattern, log)


def press(phone: Phone, selector: str) -> None:
    """Click something found by a selector (a button among several with the same name)."""
    phone.page.locator(selector).first.click()
    phone.page.wait_for_load_state()
    phone.check()


def type_into(phone: Phone, name: str, value: str) -> None:
    phone.page.locator(f'[name="{name}"]').first.fill(value)


def home(phone: Phone) -> None:
    """The home page, typed: the one address everybody knows."""
    phone.open("/")


def sign_in(phone: Phone, handle: str) -> None:
    """A demo staff member signs in (passphrase, then the code their authenticator shows)."""
    home(phone)
    phone.click(t("Log in"))
    type_into(phone, "handle", handle)
    type_into(phone, "passphrase", PASSPHRASE)
    phone.submit(t("Log in"))
    type_into(phone, "code", phone.site.totp(handle))
    phone.submit(t("Continue"))


_SIGNED_IN: dict[str, Any] = {}


def staff(browser: Browser, site: Site, handle: str) -> Phone:
    """A staff member's phone, signed in. Each demo handle signs in once per run (a TOTP code
    is accepted once, and tests share the server); later phones carry the same session."""
    if handle in _SIGNED_IN:
        phone = open_phone(browser, site, storage_state=_SIGNED_IN[handle])
        to_education(phone)
        return phone
    phone = open_phone(browser, site)
    sign_in(phone, handle)
    _SIGNED_IN[handle] = phone.page.context.storage_state()
    return phone


def to_desk(phone: Phone, desk: str) -> None:
    """From any page: the account page (the handle in the header), then one desk."""
    phone.page.locator("header a[href='/accounts/']").first.click()
    phone.page.wait_for_load_state()
    phone.check()
    phone.click(t(desk), exact=True)


def to_education(phone: Phone) -> None:
    """From the home page: a service of the catalogue, then every education service."""
    home(phone)
    phone.page.locator('main a[href="/education/schools/"]').first.click()
    phone.page.wait_for_load_state()
    phone.check()
    phone.click(t("All education services"))


def error_text(phone: Phone) -> str:
    return phone.page.locator(".errorlist, .messages").first.inner_text()


def test_the_registry_is_browsed_from_the_landing_page(phone: Phone) -> None:
    # Given a visitor on the education page
    to_education(phone)
    for service in ("Check an application", "Sit an exam", "Verify a certificate", "My classes"):
        assert phone.page.get_by_role("link", name=t(service)).count() == 1
    # When they open the registry and a university
    phone.click(t("Schools and universities"))
    phone.click("နွေဦး ပညာရေး တက္ကသိုလ်")
    # Then its Burmese name and degree programmes are shown
    assert phone.page.locator("h1").inner_text() == "နွေဦး ပညာရေး တက္ကသိုလ်"
    assert "ပညာရေးဘွဲ့ (မူလတန်း)" in phone.page.content()
    # And filtering by level shows only high schools
    phone.click(t("All schools and universities"))
    phone.page.select_option('[name="level"]', "high")
    phone.submit(t("Show"))
    assert "ချင်းတောင် အွန်လိုင်း အထက်တန်းကျောင်း" in phone.page.content()
    assert "နွေဦး ပညာရေး တက္ကသိုလ်" not in phone.page.content()


def test_an_officer_recognises_a_school(phone: Phone, browser: Browser, site: Site) -> None:
    # Given the Kachin school, still applying, is not in the public registry
    kachin = "ကချင် အွန်လိုင်း အလယ်တန်းကျောင်း"
    to_education(phone)
    phone.click(t("Schools and universities"))
    assert kachin not in phone.page.content()
    # When the exam officer reviews it against every guideline and recognises it
    officer = staff(browser, site, "examofficer-nilar")
    to_desk(officer, "Recognition of schools")
    officer.click(kachin)
    for box in officer.page.locator('[name="met"]').all():
        box.check()
    officer.page.locator('[name="decision"][value="recognised"]').check()
    officer.submit(t("Record the decision"))
    assert officer.page.locator(".tag").first.inner_text() == t("Recognised")
    officer.page.context.close()
    # Then the visitor finds it in the registry
    phone.page.reload()
    phone.check()
    phone.click(kachin)


def test_a_voucher_admits_an_applicant_and_refusals_are_plain(browser: Browser, site: Site) -> None:
    # Given the demo recommender signs in and issues two vouchers
    phone = staff(browser, site, "recommender-khin")
    to_desk(phone, "My recommendation vouchers")
    phone.click("ဒေါ်ခင် (နမူနာ)")
    type_into(phone, "count", "2")
    phone.submit(t("Issue and show the codes"))
    first, lost = (c.inner_text().strip() for c in phone.page.locator(".codes").all())
    # And revokes the second one (a lost slip), typing its code
    phone.click(t("Back to the recommender"))
    type_into(phone, "code", lost)
    phone.submit(t("Revoke this voucher"))

    # When a family applies with the first slip, typing the code as printed
    family = open_phone(browser, site)
    family.open("/education/admissions/apply/")
    pseudonym = f"Padauk{uuid4().hex[:4]}"
    type_into(family, "pseudonym", pseudonym)
    family.page.select_option('[name="school"]', label="နွေဦး အွန်လိုင်း အခြေခံပညာကျောင်း")
    type_into(family, "programme", "ဆဋ္ဌမတန်း")
    type_into(family, "voucher", first)
    family.submit(t("Send application"))
    application_code = family.page.locator(".codes").first.inner_text().strip()
    # Then the same slip again, and the revoked one, are each refused with a message
    for code in (first, lost):
        family.open("/education/admissions/apply/")
        type_into(family, "pseudonym", pseudonym)
        family.page.select_option('[name="school"]', label="နွေဦး အွန်လိုင်း အခြေခံပညာကျောင်း")
        type_into(family, "programme", "ဆဋ္ဌမတန်း")
        type_into(family, "voucher", code)
        family.submit(t("Send application"))
        assert error_text(family)
    # And the status by code says it is waiting; a wrong code is refused
    to_education(family)
    family.click(t("Check an application"))
    type_into(family, "code", "AAAA-BBBB-CCCC")
    family.submit(t("Check"))
    assert error_text(family)
    type_into(family, "code", application_code)
    family.submit(t("Check"))
    assert t("Waiting for the school") in family.page.content()

    # When the school's administrator admits the applicant
    admin = staff(browser, site, "schooladmin-zaw")
    to_desk(admin, "Applications waiting")
    row = admin.page.locator("tr", has_text=pseudonym)
    row.get_by_role("button", name=t("Admit")).click()
    admin.page.wait_for_load_state()
    admin.check()
    # Then the family's status by code says admitted
    type_into(family, "code", application_code)
    family.submit(t("Check"))
    assert t("Admitted") in family.page.content()

    # And the administrator, opening the recommenders' page they may not see, is told so
    # in the site's own words, not a bare English "403 Forbidden"
    refused = admin.page.goto(site.url + "/education/staff/recommenders/")
    assert refused is not None and refused.status == 403
    admin.check()
    assert "Forbidden" not in admin.page.content()
    for other in (phone, family, admin):
        other.page.context.close()


def _answer_questions(phone: Phone, count: int, *, short: str = "") -> None:
    """Answer the page's question (the order is the candidate's own) and go on."""
    for _n in range(count):
        radios = phone.page.locator('[name="choice"]')
        if radios.count():
            phone.page.get_by_label("ဧရာဝတီ").check()
        elif phone.page.locator('textarea[name="text"]').count():
            phone.page.locator('textarea[name="text"]').fill(short or "မဲပေးခြင်းဖြင့် ရွေးချယ်သည်။")
        else:
            type_into(phone, "text", "မြန်မာ")
        phone.submit(t("Save and continue"))


def test_a_candidate_sits_leaves_resumes_and_hands_in(
    phone: Phone, browser: Browser, site: Site
) -> None:
    code = printed(site, r"candidate 1: (\S+)")[0]
    # A wrong code is refused
    to_education(phone)
    phone.click(t("Sit an exam"))
    type_into(phone, "code", "ZZZZ-ZZZZ-ZZZZ")
    try:
        phone.submit(t("Start or continue"))
    except AssertionError:
        print(phone.page.content())
        raise
    assert error_text(phone)
    # Given the candidate logs in with the code on the slip and answers one question
    type_into(phone, "code", code)
    phone.submit(t("Start or continue"))
    _answer_questions(phone, 1)
    # When they leave (the link drops) and come back later
    to_education(phone)
    phone.click(t("Sit an exam"))
    type_into(phone, "code", code)
    phone.submit(t("Start or continue"))
    # Then they resume at question 2 with the first answer kept
    assert "၂" in phone.page.locator("p.help").first.inner_text()  # question 2, Burmese digits
    # And the same code from another phone at the same time is refused
    other = open_phone(browser, site)
    to_education(other)
    other.click(t("Sit an exam"))
    type_into(other, "code", code)
    other.submit(t("Start or continue"))
    assert error_text(other)
    other.page.context.close()
    # When they answer the rest and hand in
    _answer_questions(phone, 2)
    phone.submit(t("Hand in my paper"))
    # Then the result is not shown before the school releases it
    phone.click(t("Check a result"))
    type_into(phone, "code", code)
    phone.submit(t("Show result"))
    assert error_text(phone)


def test_marking_release_result_certificate_and_verify(
    phone: Phone, browser: Browser, site: Site
) -> None:
    codes = printed(site, r"number \d: (\S+)")
    # Given the teacher marks the closed sitting's last short answer
    teacher = staff(browser, site, "teacher-may")
    to_desk(teacher, "Exam answers to mark")
    card = teacher.page.locator("form.card", has_text=CLOSED_SITTING).first
    card.locator('[name="marks"]').fill("3")
    card.get_by_role("button").click()
    teacher.page.wait_for_load_state()
    teacher.check()
    assert not teacher.page.locator("form.card", has_text=CLOSED_SITTING).count()
    teacher.page.context.close()
    # When the exam officer releases the closed sitting's results
    officer = staff(browser, site, "examofficer-nilar")
    to_desk(officer, "Exam sittings")
    officer.click(CLOSED_SITTING)
    officer.submit(t("Release results"))
    assert not officer.page.get_by_role("button", name=t("Release results")).count()
    officer.page.context.close()
    # Then the candidate sees the result by code, and follows the link to the certificate
    to_education(phone)
    phone.click(t("Check a result"))
    type_into(phone, "code", codes[0])
    phone.submit(t("Show result"))
    assert t("Pass") in phone.page.locator(".card").inner_text()
    phone.click(t("Get your certificate"))
    type_into(phone, "code", codes[0])
    phone.submit(t("Get certificate"))
    signed = phone.page.locator("textarea.copy").first.input_value()
    assert t("Pass") in phone.page.locator(".card").inner_text()
    # And the certificate verifies on the verify page by pasting what it shows
    phone.click(t("Verify a certificate"))
    phone.page.locator('textarea[name="text"]').fill(signed)
    phone.submit(t("Verify"))
    assert t("Valid") in phone.page.locator(".card .tag").first.inner_text()
    # While a changed text does not
    phone.page.locator('textarea[name="text"]').fill(signed[:-3] + "AAA")
    phone.submit(t("Verify"))
    assert t("Not valid") in phone.page.locator(".card .tag").first.inner_text()


def test_a_teacher_marks_handed_in_work(browser: Browser, site: Site) -> None:
    # Given the demo class has a piece of work waiting
    phone = staff(browser, site, "teacher-may")
    to_desk(phone, "Work to mark")
    before = phone.page.locator("form.card").count()
    assert before >= 1
    # When the teacher marks it with feedback
    card = phone.page.locator("form.card").first
    card.locator('[name="marks"]').fill("15")
    card.locator('[name="feedback"]').fill("သင်ခန်းစာ အစီအစဉ် ကောင်းသည်။")
    card.get_by_role("button").click()
    phone.page.wait_for_load_state()
    phone.check()
    # Then it leaves the queue
    assert phone.page.locator("form.card").count() == before - 1


def test_a_student_follows_her_class_and_sees_her_mark(phone: Phone) -> None:
    # Given Alice, a student of the demo class, logs in
    home(phone)
    phone.click(t("Log in"))
    type_into(phone, "handle", "alice")
    type_into(phone, "passphrase", PASSPHRASE)
    phone.submit(t("Log in"))
    # When she opens her classes from the education page, the class and its lesson
    to_education(phone)
    phone.click(t("My classes"))
    phone.click("စာဖတ် သင်ကြားနည်း")
    phone.click("အတူတကွ အသံထွက်ဖတ်ခြင်း")
    phone.page.go_back()
    # Then her marked work shows the mark and the teacher's feedback
    phone.click("စာဖတ်သင်ခန်းစာ အစီအစဉ် ရေးပါ")
    assert "17/20" in phone.page.locator(".card").last.inner_text()
    # And her programme's progress is one link from her classes
    to_education(phone)
    phone.click(t("My classes"))
    phone.click(t("My programme: progress and transcripts"))
    assert "ပညာရေးဘွဲ့ (မူလတန်း)" in phone.page.locator("h2").first.inner_text()


def test_every_education_desk_fits_a_phone(browser: Browser, site: Site) -> None:
    """Each education role's desks, opened from the account page, and a class's own pages."""
    desks = {
        "teacher-may": ["My classes", "Work to mark", "Exam answers to mark"],
        "schooladmin-zaw": ["Applications waiting", "Courses and classes", "Exam sittings"],
        "examofficer-nilar": ["Question banks and papers", "Recommenders"],
        "recommender-khin": ["My recommendation vouchers"],
    }
    for handle, labels in desks.items():
        phone = staff(browser, site, handle)
        for label in labels:
            to_desk(phone, label)
            # The desk opened (not an error page), within the phone's width and budget
            heading = phone.page.locator("h1").inner_text()
            assert heading not in {t("You cannot open this page"), t("Page not found")}
            assert phone.visits[-1].transferred <= PAGE_BUDGET_BYTES
            assert phone.visits[-1].width <= SCREEN["width"]
            assert "/accounts/" not in phone.page.url
        if handle == "teacher-may":  # a class: its page, attendance and the grade sheet
            to_desk(phone, "My classes")
            phone.click("စာဖတ် သင်ကြားနည်း")
            phone.click(t("Take attendance"))
            phone.page.go_back()
            phone.click(t("Grade sheet"))
            assert phone.page.locator("table, .card").count() > 0
        phone.page.context.close()
