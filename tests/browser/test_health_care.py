"""Care that does not drop people, as people meet it on a phone with JavaScript off, in Burmese:
a patient takes a time in Myanmar time, is reminded by SMS through a fake gateway, changes the
time with their code; a doctor stops volunteering and a coordinator gives the case to another.

The reminder goes out as an operator's periodic commands send it (`pyithu health tick`, then
`pyithu outbox send`) against the site's own database, with the gateway pointed at a fake.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from uuid import uuid4

from phone import BIN, Phone, Site
from test_health import (  # the telemedicine walk's own helpers and fixture
    _,
    body,
    book,
    fill_booking,
    new_phone,  # noqa: F401 (a fixture)
    open_case_in_queue,
    open_desk,
    open_with_code,
    reference_of,
    staff_login,
)

from pyithu.sms.fake_gateway import FakeGateway

LEAVING, STAYING, COORDINATOR = "doctor-aye", "doctor-thida", "coordinator-su"


def _pyithu(site: Site, gateway: FakeGateway, *args: str) -> str:
    env = {
        **site.env,
        "PYITHU_SMS_GATEWAY_URL": gateway.url,
        "PYITHU_SMS_GATEWAY_TOKEN": gateway.token,
    }
    done = subprocess.run(
        [str(BIN / "pyithu"), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def book_with_sms(phone: Phone, symptoms: str, number: str) -> str:
    page = phone.page
    phone.click(_("Book a consultation"))
    fill_booking(phone, symptoms)
    page.get_by_label(_("Tell me when a doctor replies by")).select_option(label=_("phone (SMS)"))
    phone.fill(_("Handle or number"), number)
    phone.submit(_("Book"))
    code = page.locator(".codes").inner_text().strip()
    assert re.fullmatch(r"[0-9a-z]{4}(-[0-9a-z]{4}){3}", code), code
    return code


def test_a_patient_takes_a_time_is_reminded_by_sms_and_changes_it_by_code(
    phone: Phone, site: Site
) -> None:
    number = f"+9597{uuid4().int % 10**8:08d}"
    symptoms = "လည်ချောင်းနာပြီး အသံဝင်နေတာ တစ်ပတ်ရှိပြီ"
    # Given a patient who books asking to be told by SMS
    phone.open("/health/")
    code = book_with_sms(phone, symptoms, number)
    phone.click(_("Open my consultation"))
    # When they open "a time with a doctor" and take the first free time (Myanmar time)
    phone.click(_("A time with a doctor"))
    first = phone.page.locator("input[name=slot]").first
    chosen = phone.page.locator(f"label[for={first.get_attribute('id')}]").inner_text().strip()
    first.check()
    phone.submit(_("Take this time"))
    assert _("Your time is booked.") in body(phone)
    assert chosen in phone.page.locator(".when").inner_text()
    # Then the periodic commands send a reminder through the SMS gateway
    gateway = FakeGateway().start()
    try:
        _pyithu(site, gateway, "health", "tick")
        _pyithu(site, gateway, "outbox", "send")
    finally:
        gateway.stop()
    texts = [r.message for r in gateway.received if r.to == number]
    assert len(texts) == 1, texts
    reminder = texts[0]
    # In Burmese, at the time shown on the page, saying nothing of the consultation
    hour = re.search(r"[၀-၉]{2}:[၀-၉]{2}", chosen).group(0)
    assert hour in reminder and "ကုဒ်" in reminder
    assert "လည်ချောင်း" not in reminder and "ယေဘုယျ" not in reminder
    # And later, having closed it on this phone, they change the time with their code
    phone.click(_("Back to my consultation"))
    phone.submit(_("Close on this device"))
    open_with_code(phone, code)
    phone.click(_("A time with a doctor"))
    other = phone.page.locator("input[name=slot]").nth(1)
    moved_to = phone.page.locator(f"label[for={other.get_attribute('id')}]").inner_text().strip()
    other.check()
    phone.submit(_("Change my time"))
    assert _("Your time is booked.") in body(phone)
    assert moved_to in phone.page.locator(".when").inner_text()
    # And stop every message with one button
    phone.click(_("Back to my consultation"))
    phone.click(_("Stop messages"))
    phone.submit(_("Stop messages to me"))
    assert _("Done. No more messages will be sent, and your number or handle is deleted.") in (
        body(phone)
    )


def test_a_doctor_stops_volunteering_and_a_coordinator_gives_the_case_to_another(
    phone: Phone,
    new_phone: Callable[[], Phone],  # noqa: F811 (the fixture imported above)
) -> None:
    # Given a patient's case claimed by a doctor
    phone.open("/health/")
    code = book(phone, "ခါးနာတာ နှစ်ပတ်ရှိပြီ၊ ညဘက် ပိုနာပါတယ်")
    phone.click(_("Open my consultation"))
    reference = reference_of(phone)
    leaving = new_phone()
    staff_login(leaving, LEAVING)
    open_case_in_queue(leaving, reference)
    leaving.submit(_("Claim"))
    # When the doctor stops volunteering: one step hands every case back
    open_desk(leaving, _("Clinic queue"))
    leaving.page.get_by_text(_("I am stopping volunteering")).click()
    leaving.submit(_("Hand back all my cases"))
    handed_back = _("%(n)s case(s) went back to the queue and your weekly hours were withdrawn.")
    assert handed_back.split("%(n)s")[1].strip() in body(leaving)
    assert not leaving.page.get_by_role("heading", name=_("My open cases")).count()
    # Then the coordinator sees the loads and gives the case to another doctor
    coordinator = new_phone()
    staff_login(coordinator, COORDINATOR)
    coordinator.click(_("Doctors' load and reassigning"))
    assert _("Open cases per doctor") in body(coordinator)
    card = coordinator.page.locator(".card", has=coordinator.page.get_by_text(reference))
    card.get_by_label(_("Give to")).select_option(label=STAYING)
    card.get_by_role("button", name=_("Reassign")).click()
    coordinator.page.wait_for_load_state()
    coordinator.check()
    assert reference in body(coordinator)
    # And the other doctor finds it among their open cases, with its history
    staying = new_phone()
    staff_login(staying, STAYING)
    open_desk(staying, _("Clinic queue"))
    staying.click(reference, exact=True)
    history = body(staying)
    assert _("handed back to the queue") in history
    assert _("reassigned by a coordinator") in history
    # The patient's case is with a doctor
    open_with_code(phone, code)
    assert _("with a doctor") in body(phone)


def test_a_doctor_publishes_weekly_hours_in_their_own_time_zone(phone: Phone) -> None:
    # Given the cardiologist, volunteering from London
    staff_login(phone, "specialist-min")
    phone.click(_("Weekly hours and appointments"))
    # When they offer Sundays 19:00-20:00 London time, 30 minutes a patient
    page = phone.page
    page.get_by_label(_("Every")).select_option("6")  # Sunday
    page.get_by_label(_("From (your local time)")).fill("19:00")
    page.get_by_label(_("To (your local time)")).fill("20:00")
    page.get_by_label(_("Minutes per patient")).select_option("30")
    phone.fill(_("Your time zone"), "Europe/London")
    phone.submit(_("Publish"))
    # Then the hours are listed in their zone, and patients will see them in Myanmar time
    assert _("Published. Patients see these times in Myanmar time.") in body(phone)
    listed = body(phone)
    assert "Europe/London" in listed and "၁၉:၀၀" in listed
    # A zone that does not exist is refused beside the field, with what was typed kept
    phone.fill(_("Your time zone"), "Mars/Olympus")
    page.get_by_label(_("From (your local time)")).fill("19:00")
    page.get_by_label(_("To (your local time)")).fill("20:00")
    phone.submit(_("Publish"))
    assert _("Unknown time zone.") in body(phone)
    assert page.get_by_label(_("Your time zone")).input_value() == "Mars/Olympus"
