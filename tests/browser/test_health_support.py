"""Care that does not drop people, as they meet it on their phones (issue 17, items 4-7): a
patient attaches a lab photo that a doctor sees without its EXIF; a person asks the hotline for a
call back and a counsellor answers; a GBV desk answers a consented referral and the patient
reads it by code; the emergency page lists the facilities of the person's township.

Each person starts where they are told to (the telemedicine home, the site's log-in link), by
links and forms alone; every page is weighed and measured by `phone`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from uuid import uuid4

from phone import Phone
from PIL import ExifTags, Image
from test_health import (  # the telemedicine walk's helpers, and its second phone
    _,
    body,
    book,
    fill_booking,
    log_in,
    new_phone,
    open_case_in_queue,
    open_with_code,
    staff_login,
)

__all__ = ["new_phone"]  # a fixture: pytest finds it here by name
DOCTOR = "doctor-aye"
COUNSELLOR = "counsellor-hsu"
GBV_DESK = "desk-su"


def lab_photo() -> bytes:
    """A phone's JPEG: its maker, its model and where it was taken (GPS) in EXIF."""
    image = Image.new("RGB", (800, 600), (240, 240, 230))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Model X"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (16.0, 47.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (96.0, 9.0, 0.0),
        }
    )
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def log_in_from_home(phone: Phone, handle: str) -> None:
    """Staff of any ministry: the site's log-in link, then their account's desks."""
    phone.open("/")
    phone.click(_("Log in"), exact=True)
    log_in(phone, handle)
    assert _("Your desks") in body(phone)


def test_a_patient_attaches_a_lab_photo_and_the_doctor_sees_it_without_exif(
    phone: Phone, new_phone: Callable[[], Phone]
) -> None:
    # Given a patient with a booking, and a lab result photographed with GPS on
    photo = lab_photo()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    phone.open("/health/")
    book(phone, "သွေးစစ်ချက် ရလဒ် ရပါပြီ၊ ဆရာဝန် ကြည့်ပေးစေချင်ပါတယ်")
    phone.click(_("Open my consultation"))
    reference = phone.page.locator(".ref").inner_text().strip()
    # When they first send a file that is not a picture: a clear Burmese refusal, nothing kept
    field = phone.page.get_by_label(_("Photo of a result (lab paper, a rash)"))
    field.set_input_files({"name": "lab.jpg", "mimeType": "image/jpeg", "buffer": b"not a jpeg"})
    phone.submit(_("Send the photo"))
    assert _("This file is not a photo we can read. Send a JPEG or PNG picture.") in body(phone)
    # Then the real photo
    field = phone.page.get_by_label(_("Photo of a result (lab paper, a rash)"))
    field.set_input_files({"name": "lab.jpg", "mimeType": "image/jpeg", "buffer": photo})
    phone.submit(_("Send the photo"))
    assert _("Photo added. Only the doctors of your case see it.") in body(phone)
    # And the doctor of the clinic sees it on the case, as a picture with no EXIF at all
    doctor = new_phone()
    staff_login(doctor, DOCTOR)
    open_case_in_queue(doctor, reference)
    image = doctor.page.get_by_role("img", name=_("Photo from the patient"))
    assert image.count() == 1
    assert image.evaluate("img => img.naturalWidth") == 800
    address = doctor.site.url + image.get_attribute("src")
    served = doctor.page.request.get(address)
    assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
    kept = Image.open(io.BytesIO(served.body()))
    assert dict(kept.getexif()) == {} and "exif" not in kept.info
    assert b"PhoneMaker" not in served.body()
    # While the patient's phone, without a doctor's session, is sent to log in
    refused = phone.page.request.get(address, max_redirects=0)
    assert refused.status == 302 and "/accounts/login/" in refused.headers["location"]


def test_a_person_asks_the_hotline_for_a_call_back_and_a_counsellor_answers(
    phone: Phone, new_phone: Callable[[], Phone]
) -> None:
    number = f"09{uuid4().int % 10**9:09d}"
    # Given a person in distress on the telemedicine home
    phone.open("/health/")
    phone.click(_("Mental health and the hotline"))
    assert _("What to do now") in body(phone)
    assert "09-000-000-111" in body(phone)  # the demo's number
    # When they ask to be called back, giving only a number
    phone.page.get_by_label(_("I am struggling and need to talk today")).check()
    phone.page.get_by_label(_("phone (SMS)")).check()
    phone.fill(_("Number or Telegram name"), number)
    phone.submit(_("Call me back"))
    # Then they are told plainly how long, and what to do meanwhile
    assert _("waiting for a counsellor") in body(phone)
    assert re.search("မိနစ်ခန့်", phone.page.locator("#wait").inner_text())
    reference = phone.page.locator(".ref").inner_text().strip()
    # And a counsellor on duty takes it from the queue, calls, and records the talk
    counsellor = new_phone()
    log_in_from_home(counsellor, COUNSELLOR)
    counsellor.click(_("Hotline queue"))
    counsellor.click(reference, exact=True)
    assert number not in body(counsellor)  # not until they take it
    counsellor.submit(_("Take"))
    assert counsellor.page.locator("#contact").inner_text() == number
    counsellor.fill(_("Short note (sealed, optional)"), "ပြောဆိုပြီး သက်သာသွား")
    counsellor.submit(_("We talked"))
    assert _("Recorded. The number is erased.") in body(counsellor)
    assert reference not in body(counsellor)
    # The person's page now says the request is closed
    phone.click(_("Check again"))
    assert _("Your request is closed. If you need to talk again, ask again.") in body(phone)


def test_a_consented_gbv_referral_is_answered_by_its_desk_and_the_patient_reads_it(
    phone: Phone, new_phone: Callable[[], Phone]
) -> None:
    handle = f"@mya{uuid4().hex[:8]}"
    reply = "တနင်္လာနေ့ နံနက် ၁၀ နာရီမှာ ဖုန်းဆက်ပါမယ်"
    # Given a patient who books with a Telegram handle and shares only "how to reach me"
    phone.open("/health/")
    phone.click(_("Book a consultation"))
    fill_booking(phone, "အိမ်မှာ အန္တရာယ် ရှိနေလို့ တစ်ယောက်ယောက်နဲ့ တိုင်ပင်ချင်ပါတယ်")
    phone.page.get_by_label(_("Tell me when a doctor replies by")).select_option("telegram")
    phone.fill(_("Handle or number"), handle)
    phone.submit(_("Book"))
    code = phone.page.locator(".codes").inner_text().strip()
    phone.click(_("Open my consultation"))
    phone.page.get_by_text(_("Share with another service (only what you choose)")).click()
    phone.page.get_by_label(_("counselling for gender-based violence (Tine Pin Phaw)")).check()
    phone.page.get_by_label(_("how to reach me"), exact=True).check()
    phone.page.get_by_label(_("I agree to share what I ticked with this service.")).check()
    phone.submit(_("Share"))
    # When the GBV desk opens its newest referral: only the handle, not the symptoms
    desk = new_phone()
    log_in_from_home(desk, GBV_DESK)
    desk.click(_("Referral desk"))
    desk.page.locator("ul.cases a").first.click()
    desk.check()
    assert handle in body(desk) and "အန္တရာယ်" not in body(desk)
    desk.fill(_("Reply to the person"), reply)
    desk.submit(_("Accept"))
    assert _("accepted") in body(desk)
    # Then the patient, back with their code, reads the answer
    open_with_code(phone, code)
    assert _("Services you shared with") in body(phone)
    assert reply in body(phone)


def test_the_emergency_page_lists_facilities_in_the_persons_township(phone: Phone) -> None:
    # The demo's facilities are in the first townships by P-code
    pcode, name = (
        phone.site.pyithu(
            "shell",
            "-c",
            "from pyithu.geo.models import Township as T;"
            "t=T.objects.active().order_by('pcode').first();print(t.pcode, t.name_my)",
        )
        .strip()
        .splitlines()[-1]  # after the shell's own "objects imported" line
        .split(" ", 1)
    )
    phone.open("/health/")
    phone.click(_("What to do in an emergency"))
    phone.fill(_("Your township"), pcode)
    phone.submit(_("Show places near me"))
    places = phone.page.locator("#facilities").inner_text()
    assert f"{name} မြို့နယ်ဆေးရုံ" in places
    assert _("Last confirmed %(day)s").split("%")[0].strip() in places
