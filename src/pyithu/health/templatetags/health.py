"""How telemedicine pages say things in the reader's language: waiting times with plural-aware
translation, clinics by their localized name (never their slug), languages and countries by
name (never their codes)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import ngettext

from pyithu.health.models import Clinic

register = template.Library()


@register.filter
def waited(since: datetime | None) -> str:
    """How long ago, in whole minutes, hours or days: "17 minutes", "3 hours", "2 days"."""
    if since is None:
        return ""
    minutes = max(0, int((timezone.now() - since).total_seconds() // 60))
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


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
    from pyithu.health.forms import COUNTRIES

    return str(dict(COUNTRIES).get(code, code))


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
