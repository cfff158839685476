"""Telemedicine as people meet it: patients, doctors, a specialist and a pharmacist, each on their
own phone, by links and forms alone (every "Done when" of the telemedicine issue).

A patient starts at /health/, the address the service publishes on its posters and pages; staff
start from the log-in link every page carries. Every page is weighed and measured by `phone`.
Labels are looked up in the Burmese catalogue by their English text, so the test reads as the
code does and still clicks exactly what a Burmese reader sees.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import uuid4

import polib
import pytest
from phone import Phone, Site, open_phone
from playwright.sync_api import Browser

from pyithu.health.seed import RED_FLAGS

CATALOGUE = Path(__file__).parents[2] / "src/pyithu/locale/my/LC_MESSAGES/django.po"
BURMESE = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGUE)) if e.msgstr}
PASSPHRASE = "spring rice river 2025"  # the demo's, printed by `pyithu demo`
# The red flag as the operator's list words it in Burmese (data, not a catalogue string).
CHEST_PAIN = next(flag[3] for flag in RED_FLAGS if flag[0] == "chest-pain")
# The demo's health staff (`pyithu demo` prints them). A code is taken once per 30-second step,
# so tests that may run close together use different people where the demo has them.
DOCTOR, COLLEAGUE = "doctor-thida", "doctor-aye"
SPECIALIST, PHARMACIST = "specialist-min", "pharmacist-hla"


def _(english: str) -> str:
    """What a Burmese reader sees for this English text."""
    return BURMESE[english]


def label(english: str) -> re.Pattern[str]:
    """A form label exactly, with or without Django's ":" after it."""
    return re.compile(rf"^\s*{re.escape(_(english))}\s*:?\s*$")


@pytest.fixture
def new_phone(browser: Browser, site: Site) -> Iterator[Callable[[], Phone]]:
    """Another person's phone (the doctor's, the pharmacist's) beside the patient's."""
    phones: list[Phone] = []

    def make() -> Phone:
        phones.append(open_phone(browser, site))
        return phones[-1]

    yield make
    for other in phones:
        other.page.context.close()


# --- what people do ----------------------------------------------------------------------------


def book(phone: Phone, symptoms: str, *, severe: bool = False) -> str:
    """From the telemedicine home: book from abroad (Thailand), return the booking code."""
    phone.click(_("Book a consultation"))
    fill_booking(phone, symptoms, severe=severe)
    phone.submit(_("Book"))
    code = phone.page.locator(".codes").inner_text().strip()
    assert re.fullmatch(r"[0-9a-z]{4}(-[0-9a-z]{4}){3}", code), code
    return code


def fill_booking(phone: Phone, symptoms: str, *, severe: bool = False) -> None:
    page = phone.page
    phone.fill(_("What is wrong? In your own words"), symptoms)
    page.get_by_label(_("Age"), exact=True).select_option(label=_("18 to 39"))
    page.get_by_label(_("female"), exact=True).check()
    if severe:
        page.get_by_label(_("severe, but not an emergency")).check()
    page.get_by_label(_("Or, if you are abroad, the country")).select_option(label=_("Thailand"))


def reference_of(phone: Phone) -> str:
    """The short case reference the patient's page shows (what a doctor sees in the queue)."""
    return phone.page.locator(".ref").inner_text().strip()


def log_in(phone: Phone, handle: str) -> None:
    """On the log-in page: handle and passphrase, then for staff the authenticator's code."""
    phone.fill(_("Handle"), handle)
    phone.fill(_("Passphrase"), PASSPHRASE)
    phone.submit(_("Log in"))
    code_box = phone.page.get_by_label(_("Six-digit code from your authenticator app"))
    if code_box.count():
        code_box.fill(phone.site.totp(handle))
        phone.submit(_("Continue"))
    if code_box.count():  # this person's code for this step was already used: wait for the next
        time.sleep(30.5 - time.time() % 30)
        code_box.fill(phone.site.totp(handle))
        phone.submit(_("Continue"))


def staff_login(phone: Phone, handle: str) -> None:
    """Staff start where the service's home points them: its staff page, behind the log-in."""
    phone.open("/health/")
    phone.click(_("For health staff"))
    log_in(phone, handle)
    assert _("Your desks") in body(phone)


def open_desk(phone: Phone, desk: str) -> None:
    """From anywhere: the telemedicine home, its staff link, then one desk."""
    phone.open("/health/")
    phone.click(_("For health staff"))
    phone.click(desk)


def open_case_in_queue(phone: Phone, reference: str) -> None:
    open_desk(phone, _("Clinic queue"))
    phone.click(reference, exact=True)


def open_with_code(phone: Phone, code: str) -> None:
    """The patient comes back later: their code opens the case (unless still open here)."""
    phone.open("/health/")
    phone.click(_("Check my consultation with my code"))
    if phone.page.get_by_label(_("Booking code")).count():
        phone.fill(_("Booking code"), code)
        phone.submit(_("Open"))


def body(phone: Phone) -> str:
    return phone.page.locator("main").inner_text()


# --- patients ----------------------------------------------------------------------------------


def test_a_patient_books_without_an_account_and_follows_with_the_code(phone: Phone) -> None:
    # Given a patient with no account
    phone.open("/health/")
    # When they book and write down the code
    code = book(phone, "သုံးရက်ရှိပြီ ချောင်းဆိုး၊ ဖျားပြီး အစားမစားချင်ပါ")
    assert _(
        "This code is shown only once. It is the only way to read the doctor's replies. "
        "Keep it private: anyone with it can read your consultation."
    ) in body(phone)
    phone.click(_("Open my consultation"))
    assert _("waiting for a doctor") in body(phone)
    # And forget it on this phone, then come back with the code
    phone.submit(_("Close on this device"))
    phone.fill(_("Booking code"), code)
    phone.submit(_("Open"))
    # Then they add a follow-up message
    phone.fill(_("Add a message for the doctor"), "ဒီနေ့ အဖျား နည်းနည်း ကျသွားပါပြီ")
    phone.submit(_("Send"))
    assert "ဒီနေ့ အဖျား နည်းနည်း ကျသွားပါပြီ" in body(phone)


def test_a_signed_in_patient_books_under_their_made_up_handle(phone: Phone) -> None:
    # Given Alice, signed in with the handle she made up (the demo's citizen)
    phone.open("/health/")
    phone.click(_("Log in"), exact=True)
    log_in(phone, "alice")
    # When she books from the telemedicine home
    phone.open("/health/")
    code = book(phone, "တစ်ပတ်လုံး ညနေတိုင်း ခေါင်းကိုက်ပါတယ်")
    # Then she gets a code like anyone, and her case opens with it
    phone.click(_("Open my consultation"))
    assert _("waiting for a doctor") in body(phone)
    phone.submit(_("Close on this device"))
    phone.fill(_("Booking code"), code)
    phone.submit(_("Open"))
    assert "ခေါင်းကိုက်" not in body(phone)  # symptoms stay with the doctor, not on this page
    assert _("waiting for a doctor") in body(phone)


def test_an_emergency_is_refused_with_first_aid_and_suicidal_thoughts_go_to_the_hotline(
    phone: Phone,
) -> None:
    phone.open("/health/")
    phone.click(_("Book a consultation"))
    # A red flag ticked: refused, with where to go and first aid
    phone.page.get_by_label(CHEST_PAIN).check()
    fill_booking(phone, "မနက်ကတည်းက ရင်ဘတ် အောင့်နေပါတယ်")
    phone.submit(_("Book"))
    text = body(phone)
    assert _("This is an emergency: we cannot help online.") in text
    assert (
        _("Go now to the nearest hospital, clinic or health worker, or ask someone to take you.")
        in text
    )
    assert "ထိုင်၍ အနားယူပါ" in text  # first aid for chest pain
    # Suicidal thoughts in their own words: the hotline page at once
    phone.page.get_by_label(CHEST_PAIN).uncheck()
    phone.fill(_("What is wrong? In your own words"), "ကျွန်မ သေချင်တယ်")
    phone.submit(_("Book"))
    assert phone.page.url.endswith("/health/hotline/")
    assert _("Talk to someone now") in body(phone)


def test_mental_health_page_and_the_hotline(phone: Phone) -> None:
    phone.open("/health/")
    phone.click(_("Mental health and the hotline"))
    assert _("Talk to someone now") in body(phone)
    phone.click(_("Book with the mental-health clinic"))
    assert "အခြေခံ စိတ်ကျန်းမာရေး" in body(phone)
    assert phone.page.get_by_role("link", name=_("Leave quickly")).is_visible()


def test_a_wrong_booking_code_is_plainly_not_found(phone: Phone) -> None:
    phone.open("/health/")
    phone.click(_("Check my consultation with my code"))
    phone.fill(_("Booking code"), "abcd-efgh-jkmn-pqrs")
    phone.submit(_("Open"))
    assert _("No consultation matches that code. Check it and try again.") in body(phone)


def test_a_made_up_prescription_is_not_valid(phone: Phone) -> None:
    phone.open("/health/")
    phone.click(_("Check a prescription (pharmacies)"))
    phone.fill(_("Prescription code (the text under the QR code)"), "PYRX1.eyJ2IjoxfQ.AAAA")
    phone.submit(_("Check"))
    assert _(
        "Not valid: this prescription was not issued by this service, or was altered."
    ) in body(phone)


# --- doctors, specialists, pharmacists ---------------------------------------------------------


def test_a_doctor_answers_prescribes_and_a_pharmacist_dispenses_once(
    phone: Phone, new_phone: Callable[[], Phone]
) -> None:
    # Given a patient who booked
    phone.open("/health/")
    code = book(phone, "လက်နှစ်ဖက်လုံး အနီကွက်တွေ ယားနေပါတယ်", severe=True)
    phone.click(_("Open my consultation"))
    reference = reference_of(phone)
    # When the doctor finds the case in the queue, claims it, replies and prescribes
    doctor = new_phone()
    staff_login(doctor, COLLEAGUE)
    open_case_in_queue(doctor, reference)
    doctor.submit(_("Claim"))
    doctor.fill(_("Reply to the patient"), "လက်ကို ခြောက်သွေ့အောင် ထားပြီး ဆေးလိမ်းပါ")
    doctor.submit(_("Send"))
    doctor.page.get_by_label(label("Medicine")).first.fill("Hydrocortisone 1% cream")
    doctor.page.get_by_label(label("Dose")).first.fill("twice a day")
    doctor.page.get_by_label(label("Quantity")).first.fill("1 tube")
    doctor.submit(_("Sign prescription"))
    # Then the patient reads the reply and their prescription with the code
    open_with_code(phone, code)
    assert "လက်ကို ခြောက်သွေ့အောင် ထားပြီး ဆေးလိမ်းပါ" in body(phone)
    phone.click(_("My prescriptions"))
    signed = phone.page.locator(".copy").first.input_value().strip()
    assert signed.startswith("PYRX1.")
    number = phone.page.locator(".rxno").first.inner_text().strip()
    # And a pharmacist types the number the prescription shows, checks it and dispenses it once
    pharmacist = new_phone()
    staff_login(pharmacist, PHARMACIST)
    open_desk(pharmacist, _("Check and dispense prescriptions"))
    pharmacist.fill(_("Prescription code (the text under the QR code)"), number)
    pharmacist.submit(_("Check"))
    assert "Hydrocortisone 1% cream" in body(pharmacist)
    pharmacist.submit(_("Mark dispensed"))
    assert _("Already dispensed") in body(pharmacist)
    # Its whole text (as a scanner reads the QR code) says the same: no second dispense
    pharmacist.click(_("Check another prescription"))
    pharmacist.fill(_("Prescription code (the text under the QR code)"), signed)
    pharmacist.submit(_("Check"))
    assert _("Already dispensed") in body(pharmacist)
    assert not pharmacist.page.get_by_role("button", name=_("Mark dispensed")).count()


def test_a_doctor_refers_to_a_specialist_who_prescribes(
    phone: Phone, new_phone: Callable[[], Phone]
) -> None:
    phone.open("/health/")
    code = book(phone, "လှေကားတက်ရင် ရင်ဘတ် မအီမသာ ဖြစ်တာ တစ်လ ရှိပြီ")
    phone.click(_("Open my consultation"))
    reference = reference_of(phone)
    # The general doctor refers the case to the heart clinic (named in Burmese)
    doctor = new_phone()
    staff_login(doctor, DOCTOR)
    open_case_in_queue(doctor, reference)
    doctor.submit(_("Claim"))
    doctor.page.get_by_label(label("Outcome")).select_option(
        label=_("referral to a specialist clinic")
    )
    doctor.page.get_by_label(_("Refer to")).select_option(label="နှလုံးရောဂါ")
    doctor.submit(_("Record"))
    # The doctor lands back on their queue, told where the case went
    assert "နှလုံးရောဂါ" in body(doctor)
    # The cardiologist finds it in their queue, claims and prescribes
    specialist = new_phone()
    staff_login(specialist, SPECIALIST)
    open_case_in_queue(specialist, reference)
    specialist.submit(_("Claim"))
    specialist.page.get_by_label(label("Medicine")).first.fill("Aspirin 75 mg")
    specialist.page.get_by_label(label("Dose")).first.fill("once a day")
    specialist.page.get_by_label(label("Quantity")).first.fill("30 tablets")
    specialist.submit(_("Sign prescription"))
    assert _("Signed. The patient sees it with their code.") in body(specialist)
    # The patient sees the heart clinic on their consultation
    open_with_code(phone, code)
    assert "နှလုံးရောဂါ" in body(phone)


def test_a_patient_shares_chosen_details_with_another_ministry(phone: Phone) -> None:
    phone.open("/health/")
    book(phone, "အိမ်မှာ ကြောက်နေရပြီး တစ်ယောက်ယောက်နဲ့ စကားပြောချင်ပါတယ်")
    phone.click(_("Open my consultation"))
    phone.page.get_by_text(_("Share with another service (only what you choose)")).click()
    phone.page.get_by_label(_("counselling for gender-based violence (Tine Pin Phaw)")).check()
    phone.page.get_by_label(_("age"), exact=True).check()
    phone.page.get_by_label(_("I agree to share what I ticked with this service.")).check()
    phone.submit(_("Share"))
    assert _(
        "Only what you ticked was shared. "
        "The service will contact you the way you chose, if you shared it."
    ) in body(phone)
    phone.click(_("Back to my consultation"))


def test_a_public_question_is_answered_by_a_doctor_and_published(
    phone: Phone, new_phone: Callable[[], Phone]
) -> None:
    # A number of its own, in Myanmar digits, tells this question from every other
    mark = str(uuid4().int % 10**6).translate(str.maketrans("0123456789", "၀၁၂၃၄၅၆၇၈၉"))
    # Given anyone asks a general question
    phone.open("/health/")
    phone.click(_("Questions and answers"))
    phone.fill(_("Your question"), f"မိုးရေကို ကျိုချက်ပြီး သောက်လို့ ရပါသလား ({mark})")
    phone.submit(_("Ask"))
    assert _("Thank you. A doctor will answer it publicly.") in body(phone)
    # When a doctor logs in from the site's home, and goes from their account's desks to the
    # public questions
    doctor = new_phone()
    doctor.open("/")
    doctor.click(_("Log in"), exact=True)
    log_in(doctor, SPECIALIST)
    assert _("Your desks") in body(doctor)
    doctor.click(_("Public questions"))
    card = doctor.page.locator(".card", has=doctor.page.get_by_text(mark))
    card.get_by_label(label("Answer")).fill(f"တစ်မိနစ်ကြာအောင် ဆူပွက်ပြီးရင် သောက်နိုင်ပါတယ် ({mark})")
    card.get_by_role("button", name=_("Publish answer")).click()
    doctor.page.wait_for_load_state()
    doctor.check()
    assert _("Published. Everyone can read it now.") in body(doctor)
    # Then the answer is public, found by a word of the question
    phone.open("/health/")
    phone.click(_("Questions and answers"))
    phone.fill(_("Search answers"), "မိုးရေ")
    phone.submit(_("Search"))
    assert f"တစ်မိနစ်ကြာအောင် ဆူပွက်ပြီးရင် သောက်နိုင်ပါတယ် ({mark})" in body(phone)


def test_the_reach_map_shows_where_the_service_helped(phone: Phone) -> None:
    phone.open("/health/")
    phone.click(_("Where we helped"))
    assert phone.page.locator(".dotmap svg").count() == 1
    # Townships by name with their counts; small counts never shown exactly, in Burmese digits
    assert phone.page.locator("table tr").count() > 1
    assert "<၅" in body(phone)
