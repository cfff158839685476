"""How telemedicine pages say things in the reader's language: waiting times with plural-aware
translation, clinics by their localized name (never their slug), languages and countries by
name (never their codes)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import ngettext

from pyithu.core.digits import local_digits
from pyithu.health.models import Clinic

register = template.Library()


@register.filter
def waited(since: datetime | None) -> str:
    """How long ago, in whole minutes, hours or days: "17 minutes", "3 hours", "2 days"."""
    if since is None:
        return ""
    minutes = max(0, int((timezone.now() - since).total_seconds() // 60))
    if minutes < 60:
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": local_digits(minutes)}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": local_digits(hours)}
    days = hours // 24
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": local_digits(days)}


@register.filter
def clinic_name(slug: str) -> str:
    """A clinic's name in the reader's language from its slug (as a prescription carries it)."""
    clinic = Clinic.objects.filter(slug=slug).first()
    return clinic.display_name() if clinic else slug


@register.filter
def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


@register.filter
def country_name(code: str) -> str:
    from pyithu.geo.selectors import country_name
    from pyithu.health.forms import COUNTRIES

    return str(dict(COUNTRIES)["ZZ"]) if code == "ZZ" else country_name(code)


@register.filter
def iso_date(text: str) -> date | str:
    """A date a signed text carries as YYYY-MM-DD, as a date (so it is shown in the reader's
    format), or the text unchanged if it is not one."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return text


@register.filter
def service_note(body: str) -> str:
    """A service message is written once in both languages ("→ English / Burmese", see
    consults.record_outcome): show the reader's half."""
    from pyithu.core.i18n import content_language

    text = body.removeprefix("→ ")
    if text == body or " / " not in text:
        return body
    english, burmese = text.split(" / ", 1)
    return "→ " + (english if content_language() == "en" else burmese)


@register.filter
def when(moment: datetime | None) -> str:
    """A moment in Myanmar time, read in the reader's date format and digits, 24-hour clock."""
    from django.utils.formats import date_format

    if moment is None:
        return ""
    local = timezone.localtime(moment, ZoneInfo("Asia/Yangon"))
    return str(local_digits(f"{date_format(local, 'DATE_FORMAT')} {local:%H:%M}"))
