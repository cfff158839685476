"""Red-flag screening: ticked boxes and words in the symptoms (English or Burmese).

Policy (decision 0011): a ticked emergency is refused with guidance; suicidal thoughts go to the
hotline at once; an emergency found only by keyword asks the patient to confirm it is not
happening now (keywords also match "I had chest pain last year"), and a confirmed booking is
marked urgent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyithu.core.text import matches
from pyithu.health.models import RedFlag


@dataclass
class Screening:
    ticked: list[RedFlag] = field(default_factory=list)
    matched: list[RedFlag] = field(default_factory=list)

    @property
    def flags(self) -> list[RedFlag]:
        seen = {f.pk: f for f in [*self.ticked, *self.matched]}
        return sorted(seen.values(), key=lambda f: (f.order, f.slug))

    def suicide(self, *, mental_health_clinic: bool = False) -> bool:
        if any(f.kind == RedFlag.Kind.SUICIDE for f in self.ticked):
            return True
        # A patient already booking with the mental-health clinic is where they should be.
        return not mental_health_clinic and any(
            f.kind == RedFlag.Kind.SUICIDE for f in self.matched
        )

    @property
    def emergency_ticked(self) -> bool:
        return any(f.kind == RedFlag.Kind.EMERGENCY for f in self.ticked)

    @property
    def emergency_matched(self) -> bool:
        return any(f.kind == RedFlag.Kind.EMERGENCY for f in self.matched)

    @property
    def clear(self) -> bool:
        return not self.ticked and not self.matched


def active_flags() -> list[RedFlag]:
    return list(RedFlag.objects.filter(active=True))


def mentioned(flag: RedFlag, text: str) -> bool:
    return any(matches(keyword, text) for keyword in flag.keywords())


def screen(ticked_slugs: Iterable[str], text: str) -> Screening:
    flags = active_flags()
    ticked = set(ticked_slugs)
    return Screening(
        ticked=[f for f in flags if f.slug in ticked],
        matched=[f for f in flags if f.slug not in ticked and mentioned(f, text)],
    )
