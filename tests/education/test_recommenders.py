"""Recommenders: registered by an officer; vouchers issued in batches and printed once (only
digests kept); used and unused counted; unused ones revoked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from pyithu.accounts.models import User
from pyithu.core import sealing
from pyithu.core.models import AuditEntry
from pyithu.education.admissions.services import admissions
from pyithu.education.admissions.services import recommenders as service
from pyithu.education.errors import EducationError
from pyithu.education.models import Application, Recommender, School, Voucher

pytestmark = pytest.mark.django_db

CODE = re.compile(r"<b>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</b>")


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["lang"] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def ko_aung(make_staff: Any) -> User:
    """The account through which the CDM teacher Ko Aung issues vouchers."""
    return make_staff("cdm-koaung", "teacher", "communications")


@pytest.fixture
def ko_aung_recommender(nilar: User, ko_aung: User) -> Recommender:
    response = _client(nilar).post(
        "/education/staff/recommenders/",
        {"kind": "teacher", "name": "Ko Aung (CDM teacher)", "handle": "CDM-KoAung"},
    )
    assert response.status_code == 302
    return Recommender.objects.get()


def _issue(user: User, recommender: Recommender, count: int) -> tuple[Any, list[str]]:
    response = _client(user).post(
        f"/education/staff/recommenders/{recommender.pk}/", {"action": "issue", "count": count}
    )
    return response, CODE.findall(response.content.decode())


def test_an_officer_registers_a_recommender_linked_to_an_account(
    ko_aung_recommender: Recommender, ko_aung: User
) -> None:
    assert ko_aung_recommender.user == ko_aung
    assert ko_aung_recommender.name == "Ko Aung (CDM teacher)"
    assert ko_aung_recommender.kind == Recommender.Kind.TEACHER
    assert AuditEntry.objects.filter(action="education.recommender_register").count() == 1


def test_an_unknown_handle_is_refused_beside_the_field(nilar: User) -> None:
    response = _client(nilar).post(
        "/education/staff/recommenders/",
        {"kind": "council", "name": "Dagon Student Union", "handle": "nobody-here"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["handle"] == ["No account has this handle."]
    assert b"Dagon Student Union" in response.content
    assert Recommender.objects.count() == 0


def test_only_an_officer_registers(ko_aung: User, alice: User) -> None:
    for person in (ko_aung, alice):
        response = _client(person).post(
            "/education/staff/recommenders/", {"kind": "council", "name": "X"}
        )
        assert response.status_code == 403
    assert Recommender.objects.count() == 0


def test_a_batch_is_printed_once_and_only_digests_are_kept(
    ko_aung_recommender: Recommender, ko_aung: User
) -> None:
    # When Ko Aung issues five vouchers
    response, codes = _issue(ko_aung, ko_aung_recommender, 5)
    # Then the page shows five distinct codes, is never cached, and stores only digests
    assert response.status_code == 200 and len(set(codes)) == 5
    assert "no-store" in response["Cache-Control"]
    stored = set(Voucher.objects.values_list("code_digest", flat=True))
    assert stored == {sealing.digest("edu-voucher", c.replace("-", "")) for c in codes}
    # And the recommender's page shows counts, never the codes again
    page = _client(ko_aung).get(f"/education/staff/recommenders/{ko_aung_recommender.pk}/")
    assert (page.context["counts"].issued, page.context["counts"].unused) == (5, 5)
    assert not any(c in page.content.decode() for c in codes)
    entry = AuditEntry.objects.get(action="education.vouchers_issue")
    assert (entry.actor_handle, entry.summary) == ("cdm-koaung", "5")


@pytest.mark.parametrize("count", ["0", "201", "many", ""])
def test_a_bad_batch_size_is_refused_and_nothing_issued(
    ko_aung_recommender: Recommender, ko_aung: User, count: str
) -> None:
    response, codes = _issue(ko_aung, ko_aung_recommender, count)  # type: ignore[arg-type]
    assert response.status_code == 400 and codes == []
    assert "count" in response.context["issue"].errors
    assert Voucher.objects.count() == 0


def test_used_and_unused_are_counted(
    ko_aung_recommender: Recommender, ko_aung: User, spring_school: School
) -> None:
    _response, codes = _issue(ko_aung, ko_aung_recommender, 3)
    admissions.apply(
        pseudonym="Padauk", school=spring_school, programme="Grade 6", voucher_code=codes[0]
    )
    counts = service.counts(ko_aung_recommender)
    assert (counts.issued, counts.used, counts.revoked, counts.unused) == (3, 1, 0, 2)
    listed = _client(ko_aung).get("/education/staff/recommenders/")
    assert [(r.pk, n.used, n.unused) for r, n in listed.context["rows"]] == [
        (ko_aung_recommender.pk, 1, 2)
    ]


def test_a_lost_voucher_is_revoked_by_its_code_and_then_fails(
    ko_aung_recommender: Recommender, ko_aung: User, spring_school: School
) -> None:
    _response, codes = _issue(ko_aung, ko_aung_recommender, 2)
    response = _client(ko_aung).post(
        f"/education/staff/recommenders/{ko_aung_recommender.pk}/",
        {"action": "revoke", "code": codes[1].lower()},
    )
    assert response.status_code == 302
    # Then the voucher stays on record, revoked by Ko Aung, and is counted as revoked
    counts = service.counts(ko_aung_recommender)
    assert (counts.issued, counts.used, counts.revoked, counts.unused) == (2, 0, 1, 1)
    revoked = Voucher.objects.get(code_digest=admissions.voucher_digest(codes[1]))
    assert revoked.revoked_by == ko_aung and revoked.revoked_at is not None
    assert revoked.spent_at is None
    page = _client(ko_aung).get(f"/education/staff/recommenders/{ko_aung_recommender.pk}/")
    assert "2 vouchers issued: 0 used, 1 revoked, 1 unused." in page.content.decode()
    # And applying with it is refused with its own message, like a used one, and nothing spent
    with pytest.raises(EducationError) as refused:
        admissions.apply(
            pseudonym="Thazin", school=spring_school, programme="G6", voucher_code=codes[1]
        )
    assert refused.value.field == "voucher"
    assert refused.value.message == (
        "This voucher has been revoked by your recommender and can no longer be used. "
        "Ask your recommender for a new one."
    )
    assert Application.objects.count() == 0
    assert Voucher.objects.filter(spent_at__isnull=False).count() == 0
    assert AuditEntry.objects.get(action="education.voucher_revoke").summary == "1"


def test_a_revoked_voucher_is_refused_on_the_apply_page_and_cannot_be_revoked_again(
    ko_aung_recommender: Recommender, ko_aung: User, spring_school: School, client_en: Client
) -> None:
    # Given a voucher Ko Aung revoked
    _response, codes = _issue(ko_aung, ko_aung_recommender, 1)
    service.revoke_voucher(ko_aung_recommender, codes[0], ko_aung)
    # When a student applies with it on the page
    response = client_en.post(
        "/education/admissions/apply/",
        {
            "pseudonym": "Thazin",
            "school": spring_school.pk,
            "programme": "Grade 6",
            "voucher": codes[0],
        },
    )
    # Then the refusal is next to the voucher, what was typed is kept, nothing is spent
    assert response.status_code == 400
    assert response.context["form"].errors["voucher"] == [
        "This voucher has been revoked by your recommender and can no longer be used. "
        "Ask your recommender for a new one."
    ]
    assert b'value="Thazin"' in response.content
    assert Application.objects.count() == 0
    assert Voucher.objects.get().spent_at is None
    # And revoking it a second time is refused and changes nothing
    with pytest.raises(EducationError) as again:
        service.revoke_voucher(ko_aung_recommender, codes[0], ko_aung)
    assert again.value.message == "None of this recommender's unused vouchers has this code."
    assert AuditEntry.objects.filter(action="education.voucher_revoke").count() == 1


def test_a_spent_or_unknown_code_cannot_be_revoked(
    ko_aung_recommender: Recommender, ko_aung: User, spring_school: School
) -> None:
    _response, codes = _issue(ko_aung, ko_aung_recommender, 1)
    admissions.apply(pseudonym="P", school=spring_school, programme="G6", voucher_code=codes[0])
    for code in (codes[0], "ZZZZ-ZZZZ-ZZZZ-ZZZZ"):
        response = _client(ko_aung).post(
            f"/education/staff/recommenders/{ko_aung_recommender.pk}/",
            {"action": "revoke", "code": code},
        )
        assert response.status_code == 400
        assert response.context["revoke"].errors["code"] == [
            "None of this recommender's unused vouchers has this code."
        ]
    assert Voucher.objects.filter(spent_at__isnull=False).count() == 1
    assert not AuditEntry.objects.filter(action="education.voucher_revoke").exists()


def test_revoking_every_unused_voucher_keeps_the_used_one(
    ko_aung_recommender: Recommender, ko_aung: User, spring_school: School
) -> None:
    _response, codes = _issue(ko_aung, ko_aung_recommender, 4)
    admissions.apply(pseudonym="P", school=spring_school, programme="G6", voucher_code=codes[2])
    response = _client(ko_aung).post(
        f"/education/staff/recommenders/{ko_aung_recommender.pk}/", {"action": "revoke_all"}
    )
    assert response.status_code == 302
    counts = service.counts(ko_aung_recommender)
    assert (counts.issued, counts.used, counts.revoked, counts.unused) == (4, 1, 3, 0)
    assert Application.objects.get().voucher.spent_at is not None
    assert Application.objects.get().voucher.revoked_at is None
    assert Voucher.objects.filter(revoked_by=ko_aung).count() == 3
    assert AuditEntry.objects.get(action="education.voucher_revoke").summary == "3"
    listed = _client(ko_aung).get("/education/staff/recommenders/")
    assert [(n.issued, n.used, n.revoked, n.unused) for _r, n in listed.context["rows"]] == [
        (4, 1, 3, 0)
    ]


def test_another_account_may_not_act_for_the_recommender(
    ko_aung_recommender: Recommender, ko_aung: User, make_staff: Any
) -> None:
    _issue(ko_aung, ko_aung_recommender, 2)
    stranger = make_staff("cdm-other", "teacher", "communications")
    url = f"/education/staff/recommenders/{ko_aung_recommender.pk}/"
    assert _client(stranger).get(url).status_code == 403
    assert _client(stranger).post(url, {"action": "revoke_all"}).status_code == 403
    assert _client(stranger).post(url, {"action": "issue", "count": 3}).status_code == 403
    assert _client(stranger).get("/education/staff/recommenders/").status_code == 403
    assert Voucher.objects.count() == 2


def test_an_officer_stands_a_recommender_down_and_its_vouchers_stop(
    ko_aung_recommender: Recommender, ko_aung: User, nilar: User, spring_school: School
) -> None:
    _response, codes = _issue(ko_aung, ko_aung_recommender, 1)
    url = f"/education/staff/recommenders/{ko_aung_recommender.pk}/"
    # The recommender cannot stand itself down or up; the officer can
    refused = _client(ko_aung).post(url, {"action": "deactivate"})
    assert refused.status_code == 400
    assert refused.context["error"] == "Only an education officer may do this."
    assert _client(nilar).post(url, {"action": "deactivate"}).status_code == 302
    ko_aung_recommender.refresh_from_db()
    assert ko_aung_recommender.is_active is False
    with pytest.raises(EducationError):
        admissions.apply(pseudonym="P", school=spring_school, programme="G6", voucher_code=codes[0])
    response, new = _issue(ko_aung, ko_aung_recommender, 1)
    assert response.status_code == 400 and new == []
    assert Voucher.objects.count() == 1


def test_an_unknown_action_is_a_400_not_a_500(
    ko_aung_recommender: Recommender, ko_aung: User
) -> None:
    url = f"/education/staff/recommenders/{ko_aung_recommender.pk}/"
    response = _client(ko_aung).post(url, {"action": "explode"})
    assert response.status_code == 400
    assert response.context["error"] == "Choose what to do."
