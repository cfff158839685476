"""Admissions by recommendation voucher: a student is admitted without being exposed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import grant_role
from pyithu.core import sealing
from pyithu.core.models import AuditEntry
from pyithu.education.admissions.services import admissions as service
from pyithu.education.errors import EducationError
from pyithu.education.models import Application, Recommender, School, Voucher

pytestmark = pytest.mark.django_db

VOUCHER_REFUSED = (
    "This voucher is not valid or has already been used. Ask your recommender for a new one."
)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def thiri(make_staff: Any, spring_school: School) -> User:
    """The admissions admin of Spring School only."""
    user = make_staff("schooladmin-thiri", Role.TEACHER, "communications")
    grant_role(user, Role.SCHOOL_ADMIN, "education", unit=spring_school.slug)
    return user


@pytest.fixture
def daw_khin(nilar: User) -> Recommender:
    """A CDM teacher registered by the exam officer Nilar."""
    return service.register_recommender(Recommender.Kind.TEACHER, "Daw Khin", nilar)


@pytest.fixture
def voucher(daw_khin: Recommender, nilar: User) -> str:
    return service.issue_vouchers(daw_khin, 1, nilar)[0]


def _form(school: School, voucher: str, **extra: Any) -> dict[str, Any]:
    return {
        "pseudonym": "Padauk",
        "school": str(school.pk),
        "programme": "Grade 6",
        "voucher": voucher,
        **extra,
    }


def test_an_officer_registers_a_recommender_with_the_name_sealed(
    daw_khin: Recommender, nilar: User
) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM education_recommender")
        stored = cursor.fetchone()[0]
    assert stored.startswith("sealed:") and "Khin" not in stored
    assert Recommender.objects.get().name == "Daw Khin"
    assert AuditEntry.objects.filter(action="education.recommender_register").count() == 1


def test_only_an_officer_registers_a_recommender(thiri: User) -> None:
    with pytest.raises(EducationError) as refused:
        service.register_recommender(Recommender.Kind.COUNCIL, "Council", thiri)
    assert refused.value.message == "Only an education officer may register recommenders."
    assert Recommender.objects.count() == 0


def test_vouchers_are_shown_once_and_only_digests_kept(daw_khin: Recommender, nilar: User) -> None:
    codes = service.issue_vouchers(daw_khin, 3, nilar)
    assert len(set(codes)) == 3 and all(len(c) == 19 for c in codes)  # 80 bits, grouped
    stored = set(Voucher.objects.values_list("code_digest", flat=True))
    assert stored == {sealing.digest("edu-voucher", c.replace("-", "")) for c in codes}
    assert not any(c.replace("-", "") in d for c in codes for d in stored)


def test_a_student_applies_with_a_voucher_and_gets_a_code_once(
    client_en: Client, spring_school: School, voucher: str
) -> None:
    # Given Padauk's voucher and a supporting letter
    letter = SimpleUploadedFile("letter.pdf", b"%PDF letter from Daw Khin")
    # When Padauk applies
    response = client_en.post(
        "/education/admissions/apply/", _form(spring_school, voucher, document=letter)
    )
    # Then the application is filed, the voucher spent, the document sealed on disk
    assert response.status_code == 200
    code = response.context["code"]
    application = Application.objects.get()
    assert application.pseudonym == "Padauk" and application.status == "pending"
    assert application.code_digest == service.application_digest(code)
    assert Voucher.objects.get().spent_at is not None
    raw = Path(application.document.path).read_bytes()
    assert raw.startswith(sealing.FILE_MAGIC) and b"Daw Khin" not in raw
    assert application.document.read() == b"%PDF letter from Daw Khin"


def test_a_reused_voucher_is_refused_and_nothing_changes(
    client_en: Client, spring_school: School, voucher: str
) -> None:
    client_en.post("/education/admissions/apply/", _form(spring_school, voucher))
    spent_at = Voucher.objects.get().spent_at
    # When someone tries the same voucher again
    response = client_en.post(
        "/education/admissions/apply/", _form(spring_school, voucher, pseudonym="Thazin")
    )
    # Then it is refused next to the field, what was typed is kept, nothing changed
    assert response.status_code == 400
    assert response.context["form"].errors["voucher"] == [VOUCHER_REFUSED]
    assert b"Thazin" in response.content
    assert Application.objects.count() == 1
    assert Voucher.objects.get().spent_at == spent_at


def test_a_forged_voucher_is_refused(
    client_en: Client, spring_school: School, voucher: str
) -> None:
    response = client_en.post(
        "/education/admissions/apply/", _form(spring_school, "AAAA-BBBB-CCCC-DDDD")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["voucher"] == [VOUCHER_REFUSED]
    assert Application.objects.count() == 0
    assert Voucher.objects.get().spent_at is None


def test_a_deactivated_recommenders_voucher_is_refused(
    spring_school: School, voucher: str, daw_khin: Recommender
) -> None:
    Recommender.objects.filter(pk=daw_khin.pk).update(is_active=False)
    with pytest.raises(EducationError) as refused:
        service.apply(pseudonym="P", school=spring_school, programme="G6", voucher_code=voucher)
    assert refused.value.field == "voucher"
    assert Application.objects.count() == 0 and Voucher.objects.get().spent_at is None


def test_the_school_admits_and_the_document_is_deleted(
    spring_school: School,
    voucher: str,
    thiri: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    application, _code = service.apply(
        pseudonym="Padauk",
        school=spring_school,
        programme="Grade 6",
        voucher_code=voucher,
        document=SimpleUploadedFile("l.pdf", b"letter"),
    )
    path = Path(application.document.path)
    client = Client()
    client.force_login(thiri)
    assert client.get("/education/staff/applications/").status_code == 200
    download = client.get(f"/education/staff/applications/{application.pk}/document/")
    assert b"".join(download.streaming_content) == b"letter"
    # When Thiri admits Padauk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/education/staff/applications/{application.pk}/decide/", {"decision": "admit"}
        )
    # Then only the outcome, who and when remain; the document is gone, file and field
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "admitted"
    assert application.decided_by == thiri and application.decided_at is not None
    assert application.document.name == ""
    assert not path.exists()
    assert AuditEntry.objects.filter(action="education.application_admitted").count() == 1


def test_a_decided_application_cannot_be_decided_again(
    spring_school: School, voucher: str, thiri: User
) -> None:
    application, _code = service.apply(
        pseudonym="P", school=spring_school, programme="G6", voucher_code=voucher
    )
    service.decide(application, False, thiri)
    with pytest.raises(EducationError) as refused:
        service.decide(application, True, thiri)
    assert refused.value.message == "This application has already been decided."
    assert Application.objects.get().status == "refused"


def test_another_schools_admin_may_not_decide(
    spring_school: School, voucher: str, make_staff: Any
) -> None:
    other = make_staff("schooladmin-zaw", Role.TEACHER, "communications")
    grant_role(other, Role.SCHOOL_ADMIN, "education", unit="autumn")
    application, _code = service.apply(
        pseudonym="P", school=spring_school, programme="G6", voucher_code=voucher
    )
    client = Client()
    client.force_login(other)
    response = client.post(
        f"/education/staff/applications/{application.pk}/decide/", {"decision": "admit"}
    )
    assert response.status_code == 403
    assert Application.objects.get().status == "pending"
    assert client.get("/education/staff/applications/").status_code == 403


def test_status_by_code_and_a_constant_not_found(
    client_en: Client, spring_school: School, voucher: str, thiri: User
) -> None:
    application, code = service.apply(
        pseudonym="P", school=spring_school, programme="Grade 6", voucher_code=voucher
    )
    service.decide(application, True, thiri)
    found = client_en.post("/education/admissions/status/", {"code": code.lower()})
    assert found.status_code == 200 and found.context["app"].status == "admitted"
    assert b"Admitted" in found.content
    missing = client_en.post("/education/admissions/status/", {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})
    assert missing.status_code == 400
    assert missing.context["form"].errors["code"] == [
        "No application has this code. Check it and try again."
    ]


def test_guidance_and_forms_render_in_burmese(client_my: Client, spring_school: School) -> None:
    for url in ("/education/admissions/", "/education/admissions/apply/"):
        assert client_my.get(url).status_code == 200


def test_garbage_never_gives_a_500(client_en: Client, spring_school: School) -> None:
    response = client_en.post(
        "/education/admissions/apply/", {"school": "not-a-uuid", "voucher": "\x00" * 50}
    )
    assert response.status_code == 400
    assert Application.objects.count() == 0
