"""Public reads of the school registry: what anyone may see about schools and universities.

Only institutions the ministry has recognised are listed, and suspended ones (shown as such,
so a family knows). Applications in progress and refusals are not public. Institutions are
public; nothing here concerns a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from pyithu.core.i18n import localized
from pyithu.education.models import School
from pyithu.geo.models import Township

PUBLIC_STATUSES = (School.Status.RECOGNISED, School.Status.SUSPENDED)
MAX_LISTED = 500
_SPLIT = re.compile(r"[,;/\s]+")


def language_codes(text: str) -> list[str]:
    """The language codes a school lists ("my, en" → ["my", "en"]), lower case, in order."""
    seen: list[str] = []
    for code in _SPLIT.split((text or "").casefold()):
        if code and code not in seen:
            seen.append(code)
    return seen


def language_name(code: str) -> str:
    """The language's name in the reader's language, or the code when it is not one of ours."""
    return str(dict(settings.LANGUAGES).get(code, code))


@dataclass(frozen=True)
class RegistryFilter:
    """A visitor's filter; every value already checked against what exists."""

    level: str = ""
    language: str = ""
    township: str = ""  # a P-code
    status: str = ""
    kind: str = ""

    def matches(self, school: School, pcodes: set[str]) -> bool:
        return (
            (not self.level or school.level == self.level)
            and (not self.kind or school.kind == self.kind)
            and (not self.status or school.status == self.status)
            and (not self.language or self.language in language_codes(school.languages))
            and (not self.township or self.township in pcodes)
        )


@dataclass
class Listing:
    schools: list[tuple[School, list[Township]]] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    townships: list[Township] = field(default_factory=list)


def public_schools() -> Any:
    return School.objects.filter(status__in=PUBLIC_STATUSES).prefetch_related("townships")


def listing(chosen: RegistryFilter) -> Listing:
    """Schools matching the filter, with the choices the filter form may offer (only values
    some listed school has, which keeps the page light)."""
    result = Listing()
    languages: set[str] = set()
    townships: dict[str, Township] = {}
    for school in public_schools()[:MAX_LISTED]:
        served = sorted(school.townships.all(), key=lambda t: t.name_en)
        languages.update(language_codes(school.languages))
        townships.update((t.pcode, t) for t in served)
        if chosen.matches(school, {t.pcode for t in served}):
            result.schools.append((_shown(school), served))
    result.schools.sort(key=lambda row: row[0].shown_name.casefold())
    result.languages = sorted(((c, language_name(c)) for c in languages), key=lambda p: p[1])
    result.townships = sorted(townships.values(), key=lambda t: t.display_name().casefold())
    return result


def public_school(slug: str) -> School | None:
    school = public_schools().filter(slug=slug).first()
    return _shown(school) if school is not None else None


def _shown(school: School) -> School:
    """Names as the reader sees them (content language), set on the instance for templates."""
    school.shown_name = localized(school, "name")  # type: ignore[attr-defined]
    school.language_names = [language_name(c) for c in language_codes(school.languages)]  # type: ignore[attr-defined]
    return school


def programmes_of(school: School) -> list[tuple[str, str]]:
    """The institution's degree programmes (name as the reader sees it, award)."""
    return [(localized(p, "name"), p.award) for p in school.programmes.all()]
