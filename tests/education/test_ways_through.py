"""Ways through education: the landing page, each role's desks, names and results in the
reader's language, and a demo that can be walked today."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pyithu.accounts import demo as accounts_demo
from pyithu.accounts.models import Role, User
from pyithu.core.desks import desks_for
from pyithu.education import demo
from pyithu.education.certificates.models import shown_result
from pyithu.education.exams.services import exams
from pyithu.education.models import Answer, Candidate, Programme, School, Sitting

pytestmark = pytest.mark.django_db

CITIZEN_PAGES = [
    "education:schools",
    "education:admissions_guidance",
    "education:application_status",
    "education:exam_login",
    "education:exam_result",
    "education:certificate_claim",
    "education:certificate_verify",
    "education:my_classes",
]


def test_the_landing_page_lists_citizen_services_and_no_desk(client_en: Client) -> None:
    page = client_en.get("/education/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in CITIZEN_PAGES:
        assert f'href="{reverse(name)}"' in html
    assert "/education/staff/" not in html


def _signed_in(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_every_desk_opens_for_its_role() -> None:
    # Given the demo (one staff member per role, the recommender acting through an account)
    accounts_demo.load()
    demo.load()
    desks = apps.get_app_config("education").desks
    assert {d.role for d in desks} == {
        Role.TEACHER,
        Role.SCHOOL_ADMIN,
        Role.EXAM_OFFICER,
        Role.RECOMMENDER,
    }
    # Then each desk a role is shown opens for that role
    staff = ["teacher-may", "schooladmin-zaw", "examofficer-nilar", "recommender-khin"]
    for user in User.objects.filter(handle__in=staff):
        roles = set(user.role_grants.values_list("role", flat=True))
        client = _signed_in(user)
        for desk in desks_for(roles):
            assert client.get(reverse(desk.url_name)).status_code == 200, (user, desk)


def test_a_school_admin_is_refused_the_recommenders_page_in_the_site_style(
    make_staff: Any,
) -> None:
    zaw = make_staff("schooladmin-zaw", Role.SCHOOL_ADMIN, "education")
    refused = _signed_in(zaw).get("/education/staff/recommenders/")
    assert refused.status_code == 403
    assert b"<h1>403 Forbidden</h1>" not in refused.content


def test_names_and_results_read_in_burmese() -> None:
    school = School.objects.create(slug="mnou", name_en="Myanma Nway Oo University")
    Programme.objects.create(school=school, name_en="Bachelor of Arts – B.A", name_my="ဝိဇ္ဇာဘွဲ့")
    with translation.override("my"):
        assert school.display_name() == "Myanma Nway Oo University"  # no Burmese name yet
        assert Programme.objects.get().display_name() == "ဝိဇ္ဇာဘွဲ့"
        assert shown_result("5/7 pass") == "5/7 အောင်"
        assert shown_result("pass") == "အောင်"
    with translation.override("en"):
        assert shown_result("2/7 not passed") == "2/7 Not passed"
        assert shown_result("B+") == "B+"


def test_the_burmese_names_migration_fills_only_empty_names() -> None:
    from importlib import import_module

    from django.apps import apps as global_apps

    fill = import_module("pyithu.education.migrations.0006_burmese_names").fill
    School.objects.create(slug="wunzin", name_en="Wunzin Online University")
    School.objects.create(slug="mine", name_en="University of Teaching", name_my="ကိုယ်ပိုင်အမည်")
    fill(global_apps, None)
    names = dict(School.objects.values_list("slug", "name_my"))
    assert names == {"wunzin": "ဝန်ဇင် အွန်လိုင်း တက္ကသိုလ်", "mine": "ကိုယ်ပိုင်အမည်"}


def test_the_demo_has_a_sitting_open_and_one_releasable_today() -> None:
    # Given the demo
    lines = accounts_demo.load() + demo.load()
    nilar = User.objects.get(handle="examofficer-nilar")
    open_sitting = Sitting.objects.get(title=demo.DEMO_SITTING)
    closed = Sitting.objects.get(title=demo.DEMO_CLOSED_SITTING)
    # Then one sitting is open to sit and its codes are printed
    code = next(line.split(": ")[1] for line in lines if "candidate 1:" in line)
    assert exams.start_attempt(code, "phone").candidate.sitting == open_sitting
    # And the closed one waits only for its last short answer to be marked
    assert exams.unmarked_count(closed) == 1
    last = Answer.objects.get(attempt__candidate__sitting=closed, marks__isnull=True)
    exams.mark_answer(last, 4, nilar)
    exams.release_results(closed, nilar)
    printed = [line.split(": ")[1] for line in lines if line.strip().startswith("number ")]
    assert len(printed) == Candidate.objects.filter(sitting=closed).count() == 3
    assert exams.result_for_code(printed[0]).passed
    # And the recommender signs in to an account that acts for the demo recommender
    assert any("recommender-khin" in line for line in lines)
