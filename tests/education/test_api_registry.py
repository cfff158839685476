"""The API for the registry and for applying with a voucher: the same services, refusals and
throttling as the pages; bad input is a clear 4xx, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pyithu.accounts.models import LoginFailure, User
from pyithu.education.admissions.services import admissions
from pyithu.education.models import Application, Recommender, School, Voucher
from pyithu.geo.models import Township

pytestmark = pytest.mark.django_db

VOUCHER_REFUSED = (
    "This voucher is not valid or has already been used. Ask your recommender for a new one."
)
HAKHA = "MMR004002"


def _post(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.post(path, payload, content_type="application/json")


@pytest.fixture
def schools(spring_school: School) -> School:
    """Spring (recognised, Hakha), a suspended university and a school still applying."""
    spring_school.townships.set(Township.objects.filter(pcode=HAKHA))
    School.objects.filter(pk=spring_school.pk).update(languages="my, cnh", level="high")
    School.objects.create(
        slug="kachin-uni",
        name_en="Kachin Online University",
        kind=School.Kind.UNIVERSITY,
        level=School.Level.HIGHER,
        languages="kac",
        status=School.Status.SUSPENDED,
    )
    School.objects.create(slug="waiting", name_en="Waiting School")
    return spring_school


@pytest.fixture
def vouchers(nilar: User) -> list[str]:
    recommender = admissions.register_recommender(Recommender.Kind.COUNCIL, "Union", nilar)
    return admissions.issue_vouchers(recommender, 2, nilar)


def test_the_registry_lists_recognised_and_suspended_with_filters(
    client: Client, schools: School
) -> None:
    everything = client.get("/api/education/schools").json()
    assert [(s["slug"], s["status"]) for s in everything] == [
        ("kachin-uni", "suspended"),
        ("spring", "recognised"),
    ]
    assert everything[1]["languages"] == ["my", "cnh"] and everything[1]["townships"] == [HAKHA]
    for query, expected in [
        ("?level=higher", ["kachin-uni"]),
        ("?language=CNH", ["spring"]),
        (f"?township={HAKHA.lower()}", ["spring"]),
        ("?status=suspended", ["kachin-uni"]),
        ("?kind=school&status=recognised", ["spring"]),
    ]:
        found = client.get(f"/api/education/schools{query}")
        assert [s["slug"] for s in found.json()] == expected, query


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?level=castle", "Unknown level; use one of primary, middle, high, basic, higher."),
        ("?status=applied", "Unknown status; use recognised or suspended."),
        ("?kind=x", "Unknown kind; use one of school, university."),
    ],
)
def test_a_bad_filter_is_a_400_with_the_reason(
    client: Client, schools: School, query: str, message: str
) -> None:
    response = client.get(f"/api/education/schools{query}")
    assert response.status_code == 400 and response.json() == {"detail": message}


def test_one_school_in_detail_and_unlisted_ones_not_found(client: Client, schools: School) -> None:
    detail = client.get("/api/education/schools/spring").json()
    assert detail["name_en"] == "Spring Online School" and detail["programmes"] == []
    assert detail["level"] == "high" and detail["townships"] == [HAKHA]
    for slug in ("waiting", "nope"):
        missing = client.get(f"/api/education/schools/{slug}")
        assert missing.status_code == 404
        assert missing.json() == {
            "detail": "No recognised or suspended school has this short name."
        }


def test_applying_with_a_voucher_gives_a_code_that_shows_the_status(
    client: Client, schools: School, vouchers: list[str]
) -> None:
    applied = _post(
        client,
        "/api/education/applications",
        {
            "pseudonym": "Padauk",
            "school": "spring",
            "programme": "Grade 10",
            "voucher": vouchers[0],
        },
    )
    assert applied.status_code == 201
    body = applied.json()
    assert (body["school"], body["status"]) == ("spring", "pending")
    application = Application.objects.get()
    assert application.code_digest == admissions.application_digest(body["code"])
    status = _post(client, "/api/education/applications/status", {"code": body["code"]})
    assert status.status_code == 200
    assert status.json() == {
        "school": "spring",
        "programme": "Grade 10",
        "status": "pending",
        "decided_at": None,
    }


def test_a_reused_or_forged_voucher_is_a_400_and_nothing_changes(
    client_en: Client, schools: School, vouchers: list[str]
) -> None:
    form = {"pseudonym": "Padauk", "school": "spring", "programme": "Grade 10"}
    assert (
        _post(
            client_en, "/api/education/applications", {**form, "voucher": vouchers[0]}
        ).status_code
        == 201
    )
    spent_at = Voucher.objects.get(spent_at__isnull=False).spent_at
    for voucher in (vouchers[0], "AAAA-BBBB-CCCC-DDDD", "🙂" * 40):
        refused = _post(client_en, "/api/education/applications", {**form, "voucher": voucher})
        assert refused.status_code == 400, voucher
        assert refused.json() == {"detail": VOUCHER_REFUSED}
    assert Application.objects.count() == 1
    assert Voucher.objects.get(spent_at__isnull=False).spent_at == spent_at
    assert Voucher.objects.filter(spent_at__isnull=True).count() == 1


def test_a_suspended_or_unknown_school_takes_no_application(
    client_en: Client, schools: School, vouchers: list[str]
) -> None:
    form = {"pseudonym": "P", "programme": "BSc", "voucher": vouchers[0]}
    suspended = _post(client_en, "/api/education/applications", {**form, "school": "kachin-uni"})
    assert suspended.json() == {"detail": "This school is not taking applications."}
    unknown = _post(client_en, "/api/education/applications", {**form, "school": "nowhere"})
    assert unknown.status_code == 400 and unknown.json() == {
        "detail": "No school has this short name."
    }
    assert Voucher.objects.filter(spent_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"pseudonym": "P", "school": "spring", "programme": "G", "voucher": 12},
        {"pseudonym": "x" * 61, "school": "spring", "programme": "G", "voucher": "V"},
        {"pseudonym": "", "school": "spring", "programme": "G", "voucher": "V"},
        {"pseudonym": "\x00\x01", "school": "spring", "programme": "G", "voucher": "V"},
    ],
)
def test_garbage_is_a_4xx_never_a_500(
    client: Client, schools: School, vouchers: list[str], payload: dict[str, Any]
) -> None:
    response = _post(client, "/api/education/applications", payload)
    assert 400 <= response.status_code < 500
    assert (
        Application.objects.count() == 0
        and Voucher.objects.filter(spent_at__isnull=False).count() == 0
    )


def test_a_wrong_status_code_is_a_404(client_en: Client) -> None:
    response = _post(client_en, "/api/education/applications/status", {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 404
    assert response.json() == {"detail": "No application has this code. Check it and try again."}


def test_refused_vouchers_are_throttled_per_address_like_the_pages(
    client_en: Client, schools: School, vouchers: list[str], settings: Any
) -> None:
    form = {"pseudonym": "P", "school": "spring", "programme": "G"}
    # Given an address that sent 20 forged vouchers (web form and API count together)
    for i in range(admissions.CODE_FAILURES_PER_ADDRESS // 2):
        _post(client_en, "/api/education/applications", {**form, "voucher": f"FORGED{i}"})
        client_en.post(
            "/education/admissions/apply/",
            {**form, "school": str(schools.pk), "voucher": f"FORGED-WEB{i}"},
        )
    assert LoginFailure.objects.count() == admissions.CODE_FAILURES_PER_ADDRESS
    # Then even a good voucher from there waits, and is not spent
    throttled = _post(client_en, "/api/education/applications", {**form, "voucher": vouchers[1]})
    assert throttled.status_code == 429
    assert throttled.json()["detail"].startswith("Too many failed attempts. Try again in")
    web = client_en.post(
        "/education/admissions/apply/", {**form, "school": str(schools.pk), "voucher": vouchers[1]}
    )
    assert web.status_code == 400
    assert web.context["form"].errors["voucher"][0].startswith("Too many failed attempts.")
    assert Application.objects.count() == 0
    assert Voucher.objects.filter(spent_at__isnull=False).count() == 0
    # While another address is served as usual
    other = Client(REMOTE_ADDR="10.0.0.9")
    fine = _post(other, "/api/education/applications", {**form, "voucher": vouchers[1]})
    assert fine.status_code == 201


def test_status_lookups_are_throttled_too(client_en: Client) -> None:
    for _i in range(admissions.CODE_FAILURES_PER_ADDRESS):
        _post(client_en, "/api/education/applications/status", {"code": "ZZZZ"})
    response = _post(client_en, "/api/education/applications/status", {"code": "ZZZZ"})
    assert response.status_code == 429


def test_the_endpoints_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/education/schools",
        "/api/education/schools/{slug}",
        "/api/education/applications",
        "/api/education/applications/status",
        "/api/education/exam/login",
        "/api/education/exam/question",
        "/api/education/exam/answers",
    ):
        assert path in paths, path


def test_an_applicant_may_give_a_township_and_an_unknown_one_is_refused(
    client_en: Client, schools: School, vouchers: list[str]
) -> None:
    form = {"pseudonym": "Padauk", "school": "spring", "programme": "Grade 10"}
    # An unknown P-code is refused before the voucher is touched
    refused = _post(
        client_en,
        "/api/education/applications",
        {**form, "voucher": vouchers[0], "township": "MMR999999"},
    )
    assert refused.status_code == 400
    assert refused.json() == {"detail": "No township has this P-code."}
    assert Voucher.objects.filter(spent_at__isnull=False).count() == 0
    assert Application.objects.count() == 0
    # A known one (any case) is kept on the application
    applied = _post(
        client_en,
        "/api/education/applications",
        {**form, "voucher": vouchers[0], "township": HAKHA.lower()},
    )
    assert applied.status_code == 201
    assert Application.objects.get().township.pcode == HAKHA
