"""The public registry of schools and universities: what a family sees, without an account."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pyithu.education.models import School
from pyithu.geo.models import Township

pytestmark = pytest.mark.django_db

HAKHA, HLAING = "MMR004002", "MMR013040"


def _school(slug: str, name: str, status: str, **fields: Any) -> School:
    townships = fields.pop("townships", [])
    school = School.objects.create(slug=slug, name_en=name, status=status, **fields)
    school.townships.set(Township.objects.filter(pcode__in=townships))
    return school


@pytest.fixture
def registry(db: Any) -> dict[str, School]:
    """Four schools: two recognised, one suspended, one still applying, one refused."""
    return {
        "chin": _school(
            "chin-hills",
            "Chin Hills Online High School",
            School.Status.RECOGNISED,
            level=School.Level.HIGH,
            languages="cnh, my",
            curriculum="NUG Ministry of Education",
            townships=[HAKHA],
        ),
        "yangon": _school(
            "yangon-federal",
            "Yangon Federal University",
            School.Status.RECOGNISED,
            kind=School.Kind.UNIVERSITY,
            level=School.Level.HIGHER,
            languages="en, my",
            townships=[HLAING],
        ),
        "river": _school(
            "river-primary",
            "River Primary School",
            School.Status.SUSPENDED,
            level=School.Level.PRIMARY,
            languages="my",
            townships=[HLAING],
        ),
        "new": _school("new-school", "Brand New School", School.Status.APPLIED, languages="my"),
        "refused": _school("refused", "Refused Academy", School.Status.REFUSED, languages="my"),
    }


def _listed(response: Any) -> list[tuple[str, str]]:
    return [(s.slug, s.status) for s, _townships in response.context["schools"]]


def test_only_recognised_and_suspended_schools_are_public(
    client_en: Client, registry: dict[str, School]
) -> None:
    response = client_en.get("/education/schools/")
    assert response.status_code == 200
    assert _listed(response) == [
        ("chin-hills", "recognised"),
        ("river-primary", "suspended"),
        ("yangon-federal", "recognised"),
    ]
    page = response.content.decode()
    assert "Brand New School" not in page and "Refused Academy" not in page
    # The suspended school is marked as such in the list
    assert 'River Primary School</b></a> <span class="tag">Suspended</span>' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "higher"}, ["yangon-federal"]),
        ({"language": "cnh"}, ["chin-hills"]),
        ({"language": "en"}, ["yangon-federal"]),
        ({"township": HLAING}, ["river-primary", "yangon-federal"]),
        ({"status": "suspended"}, ["river-primary"]),
        ({"township": HLAING, "status": "recognised"}, ["yangon-federal"]),
        (
            {"level": "", "language": "", "township": "", "status": ""},
            [
                "chin-hills",
                "river-primary",
                "yangon-federal",
            ],
        ),
    ],
)
def test_the_list_filters_by_level_language_area_and_status(
    client_en: Client, registry: dict[str, School], query: dict[str, str], expected: list[str]
) -> None:
    response = client_en.get("/education/schools/", query)
    assert response.status_code == 200
    assert [slug for slug, _status in _listed(response)] == expected


def test_the_filter_offers_only_what_listed_schools_have(
    client_en: Client, registry: dict[str, School]
) -> None:
    form = client_en.get("/education/schools/").context["form"]
    assert [c for c, _n in form.fields["language"].choices] == ["", "my", "en", "cnh"]  # by name
    assert [c for c, _n in form.fields["township"].choices] == ["", HAKHA, HLAING]
    assert [c for c, _n in form.fields["status"].choices] == ["", "recognised", "suspended"]


def test_an_unknown_filter_value_is_a_400_beside_the_field(
    client_en: Client, registry: dict[str, School]
) -> None:
    # An applying school's language or a made-up township is not a choice
    response = client_en.get("/education/schools/", {"township": "MMR999999", "level": "x"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"township", "level"}
    assert len(_listed(response)) == 3  # the whole list stays in view


def test_the_detail_page_shows_levels_languages_curriculum_and_areas(
    client_en: Client, registry: dict[str, School]
) -> None:
    response = client_en.get("/education/schools/chin-hills/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Chin Hills Online High School",
        "High",
        "Hakha Chin, Burmese",
        "NUG Ministry of Education",
        "Hakha",
        "Recognised",
    ):
        assert text in page, text
    assert "/education/admissions/apply/" in page


def test_a_suspended_school_says_so_and_takes_no_applications(
    client_en: Client, registry: dict[str, School]
) -> None:
    page = client_en.get("/education/schools/river-primary/").content.decode()
    assert "Suspended: this school may not admit students" in page
    assert "/education/admissions/apply/" not in page


@pytest.mark.parametrize("slug", ["new-school", "refused", "no-such-school", "x" * 300])
def test_applying_refused_and_unknown_schools_are_not_found(
    client_en: Client, registry: dict[str, School], slug: str
) -> None:
    assert client_en.get(f"/education/schools/{slug}/").status_code == 404


def test_names_follow_the_readers_script(client_my: Client, registry: dict[str, School]) -> None:
    School.objects.filter(slug="chin-hills").update(name_my="ချင်းတောင် အွန်လိုင်း အထက်တန်းကျောင်း")
    response = client_my.get("/education/schools/")
    assert response.status_code == 200
    assert "ချင်းတောင် အွန်လိုင်း အထက်တန်းကျောင်း" in response.content.decode()
    assert client_my.get("/education/schools/chin-hills/").status_code == 200


def test_the_demo_adds_the_checklist_and_schools_once(client_en: Client) -> None:
    from pyithu.education.models import Guideline
    from pyithu.education.schools import demo as demo_registry

    first = demo_registry.load()
    again = demo_registry.load()
    assert first[0].startswith("Education registry: /education/schools/ (3 demo schools added)")
    assert again[0].startswith("Education registry: /education/schools/ (0 demo schools added)")
    assert Guideline.objects.filter(is_active=True).count() == 5
    listed = client_en.get("/education/schools/")
    assert _listed(listed) == [
        ("chin-hills-online", "recognised"),
        ("sagaing-federal-primary", "suspended"),
    ]


@pytest.mark.parametrize("language", ["my", "en"])
def test_the_list_of_every_institution_fits_the_page_budget(
    client: Client, db: Any, settings: Any, language: str
) -> None:
    import gzip

    from django.contrib.staticfiles import finders

    # Given the seed paper's 65 schools and 17 universities, each serving three townships
    townships = list(Township.objects.order_by("pcode")[:120])
    for i in range(82):
        school = School.objects.create(
            slug=f"school-{i}",
            name_en=f"Federal Online School number {i}",
            name_my=f"ဖက်ဒရယ် အွန်လိုင်း ကျောင်း အမှတ် {i}",
            kind="university" if i >= 65 else "school",
            level="higher" if i >= 65 else "basic",
            languages="my, en",
            status="recognised",
        )
        school.townships.set(townships[i : i + 3])
    client.cookies["lang"] = language
    response = client.get("/education/schools/")
    assert response.status_code == 200 and len(response.context["schools"]) == 82
    css = open(finders.find("core/site.css"), "rb").read()  # noqa: SIM115
    size = len(gzip.compress(response.content, 9)) + len(gzip.compress(css, 9))
    assert size <= settings.PYITHU_PAGE_BUDGET_BYTES, size


def test_a_universitys_programmes_are_listed(
    client_en: Client, registry: dict[str, School]
) -> None:
    from pyithu.education.models import Programme

    Programme.objects.create(
        school=registry["yangon"], name_en="Computer Science", name_my="ကွန်ပျူတာသိပ္ပံ", award="B.Sc"
    )
    page = client_en.get("/education/schools/yangon-federal/").content.decode()
    assert (
        "<h2>Degree programmes</h2>" in page
        and '<li>Computer Science (<span translate="no">B.Sc</span>)</li>' in page
    )
    api = client_en.get("/api/education/schools/yangon-federal").json()
    assert api["programmes"] == [{"name": "Computer Science", "award": "B.Sc"}]
