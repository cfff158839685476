"""A voucher is spent only at the site it is allotted to (decision 0059)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from pyithu.accounts.models import User
from pyithu.core import site
from pyithu.education.admissions.services import admissions as service
from pyithu.education.admissions.services import recommenders
from pyithu.education.errors import EducationError
from pyithu.education.models import Application, Recommender, School, Voucher

pytestmark = pytest.mark.django_db

ELSEWHERE = (
    "This voucher can be used only at the place where your recommender gave it out, not here. "
    "Apply there, or ask your recommender for a voucher for this place."
)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def be(monkeypatch: pytest.MonkeyPatch, node_id: str, *, node: bool) -> None:
    """Make this database the site ``node_id`` (a node or the hub)."""
    monkeypatch.setitem(site._providers, "node_id", lambda using="default": node_id)
    monkeypatch.setitem(site._providers, "is_hub", lambda: not node)


@pytest.fixture
def daw_khin(nilar: User) -> Recommender:
    return service.register_recommender(Recommender.Kind.TEACHER, "Daw Khin", nilar)


def _apply(school: School, code: str) -> Application:
    application, _code = service.apply(
        pseudonym="Padauk", school=school, programme="Grade 6", voucher_code=code
    )
    return application


def test_a_voucher_is_allotted_to_the_site_that_issues_it_and_spent_there(
    monkeypatch: pytest.MonkeyPatch, daw_khin: Recommender, nilar: User, spring_school: School
) -> None:
    be(monkeypatch, "nhub", node=False)
    code = service.issue_vouchers(daw_khin, 1, nilar)[0]
    assert Voucher.objects.get().site == "nhub"
    assert _apply(spring_school, code).voucher.spent_at is not None


def test_a_voucher_of_another_site_is_refused_with_a_clear_message_and_not_spent(
    monkeypatch: pytest.MonkeyPatch, daw_khin: Recommender, nilar: User, spring_school: School
) -> None:
    # Given a voucher issued at the Lashio node, known to the hub through sync
    be(monkeypatch, "nlashio", node=True)
    code = service.issue_vouchers(daw_khin, 1, nilar)[0]
    # When the family presents it at the hub
    be(monkeypatch, "nhub", node=False)
    with pytest.raises(EducationError) as refused:
        _apply(spring_school, code)
    # Then it is refused, saying where it can be used, and stays unspent for Lashio
    assert (refused.value.field, refused.value.message) == ("voucher", ELSEWHERE)
    assert Voucher.objects.get().spent_at is None
    assert Application.objects.count() == 0
    be(monkeypatch, "nlashio", node=True)
    assert _apply(spring_school, code).voucher.site == "nlashio"


def test_a_node_refuses_a_voucher_it_does_not_hold_with_the_same_advice(
    monkeypatch: pytest.MonkeyPatch, daw_khin: Recommender, nilar: User, spring_school: School
) -> None:
    # A voucher from before the hub had a node id ("") is the hub's, not a node's
    be(monkeypatch, "", node=False)
    old = service.issue_vouchers(daw_khin, 1, nilar)[0]
    be(monkeypatch, "nlashio", node=True)
    for code in (old, "ABCD-EFGH-JKLM-NPQR"):
        with pytest.raises(EducationError) as refused:
            _apply(spring_school, code)
        assert refused.value.message == ELSEWHERE


def test_the_refusal_reaches_the_family_in_burmese_beside_the_field(
    monkeypatch: pytest.MonkeyPatch, daw_khin: Recommender, nilar: User, spring_school: School
) -> None:
    be(monkeypatch, "nlashio", node=True)
    code = service.issue_vouchers(daw_khin, 1, nilar)[0]
    be(monkeypatch, "nhub", node=False)
    response = Client(HTTP_ACCEPT_LANGUAGE="my").post(
        "/education/admissions/apply/",
        {"pseudonym": "Padauk", "school": str(spring_school.pk), "programme": "6",
         "voucher": code},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "ထုတ်ပေးခဲ့သည့် နေရာတွင်သာ အသုံးပြုနိုင်ပြီး" in page
    assert 'value="Padauk"' in page


def test_only_the_owning_site_revokes_and_only_a_hub_officer_allots(
    monkeypatch: pytest.MonkeyPatch, daw_khin: Recommender, nilar: User, spring_school: School
) -> None:
    be(monkeypatch, "nhub", node=False)
    # The hub's officer prints slips for Lashio: they are Lashio's, not the hub's
    slips = service.issue_vouchers(daw_khin, 2, nilar, for_site="nlashio")
    assert set(Voucher.objects.values_list("site", flat=True)) == {"nlashio"}
    with pytest.raises(EducationError):
        _apply(spring_school, slips[0])
    with pytest.raises(EducationError) as refused:
        recommenders.revoke_voucher(daw_khin, slips[0], nilar)
    assert refused.value.field == "code"
    assert recommenders.revoke_unused(daw_khin, nilar) == 0
    # At Lashio they are spent and revoked; a node allots to no one else
    be(monkeypatch, "nlashio", node=True)
    _apply(spring_school, slips[0])
    recommenders.revoke_voucher(daw_khin, slips[1], nilar)
    assert Voucher.objects.filter(revoked_at__isnull=False).count() == 1
    with pytest.raises(EducationError) as refused:
        service.issue_vouchers(daw_khin, 1, nilar, for_site="nhakha")
    assert refused.value.message == "Only an education officer on the hub may allot vouchers."
