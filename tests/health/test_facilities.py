"""Where to go in an emergency: facilities of the person's township, then the nearest."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from pyithu.geo.models import Township
from pyithu.health.models import Facility
from pyithu.health.services import facilities


def _facility(slug: str, township: Township, **extra: Any) -> Facility:
    return Facility.objects.create(
        slug=slug,
        kind=extra.pop("kind", "hospital"),
        name_en=slug.title(),
        name_my=extra.pop("name_my", slug),
        township=township,
        last_confirmed=date(2026, 11, 1),
        **extra,
    )


@pytest.fixture
def towns(db: Any) -> list[Township]:
    found = list(
        Township.objects.active().filter(latitude__isnull=False, longitude__isnull=False)[:40]
    )
    here = found[0]
    found[1:] = sorted(
        found[1:], key=lambda t: abs(t.latitude - here.latitude) + abs(t.longitude - here.longitude)
    )
    return found


def test_the_townships_own_come_first_then_the_nearest(towns: list[Township]) -> None:
    here, near, far = towns[0], towns[1], towns[-1]
    _facility("far-hospital", far)
    _facility("near-clinic", near, kind="clinic")
    _facility("home-hospital", here)
    _facility("closed-hospital", here, active=False)
    shown = facilities.near(here)
    assert [f.slug for f, _km in shown] == ["home-hospital", "near-clinic", "far-hospital"]
    assert shown[0][1] is None and 0 < shown[1][1] < shown[2][1]


def test_a_township_without_coordinates_gets_its_own_only(towns: list[Township]) -> None:
    here = towns[0]
    _facility("home", here)
    _facility("other", towns[1])
    Township.objects.filter(pk=here.pk).update(latitude=None, longitude=None)
    here.refresh_from_db()
    assert [f.slug for f, _km in facilities.near(here)] == ["home"]
    assert facilities.near(None) == []


def test_the_emergency_page_lists_them_for_the_township_typed(
    towns: list[Township], client_my: Client
) -> None:
    here = towns[0]
    _facility("home-hospital", here, name_my="မြို့နယ်ဆေးရုံ")
    page = client_my.get("/health/emergency/", {"township": here.pcode})
    assert page.status_code == 200 and "မြို့နယ်ဆေးရုံ" in page.content.decode()
    unknown = client_my.get("/health/emergency/", {"township": "Nowhere-at-all"})
    assert unknown.status_code == 400 and "မြို့နယ်ဆေးရုံ" not in unknown.content.decode()


def test_the_booking_refusal_shows_facilities_of_the_patients_township(
    towns: list[Township], client_my: Client
) -> None:
    here = towns[0]
    _facility("home-hospital", here, name_my="မြို့နယ်ဆေးရုံ")
    page = client_my.post(
        "/health/book/",
        {
            "red_flags": ["chest-pain"],
            "symptoms": "pain",
            "urgency": "0",
            "age_band": "18-39",
            "sex": "female",
            "township": here.pcode,
            "language": "my",
        },
    )
    assert page.status_code == 400
    assert 'id="facilities"' in page.content.decode()
    assert "မြို့နယ်ဆေးရုံ" in page.content.decode()


def test_facilities_travel_to_every_node_by_slug() -> None:
    assert Facility.SYNC_POLICY == "last_writer" and Facility.SYNC_KEY == "slug"
    assert not hasattr(Facility, "SYNC_SCOPE")
