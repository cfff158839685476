"""Fixtures for classes, grades and programmes (imported by the test_classes*/grades/programmes
files): Spring Normal University with a course, a section taught by Daw Su, student Aung."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from pyithu.accounts import services as accounts
from pyithu.accounts.models import Role, User
from pyithu.education.classes.services import classes
from pyithu.education.models import Course, School, Section

PASSPHRASE = "tea leaf salad 1988"


@pytest.fixture
def university(db: Any, settings: Any, tmp_path: Path) -> School:
    settings.MEDIA_ROOT = tmp_path  # sealed lesson and submission files
    return School.objects.create(
        slug="spring-normal",
        name_en="Spring Normal University",
        kind=School.Kind.UNIVERSITY,
        level=School.Level.HIGHER,
        status=School.Status.RECOGNISED,
    )


@pytest.fixture
def thida(make_staff: Any, university: School) -> User:
    """The university's school administrator."""
    user = make_staff("admin-thida", Role.SCHOOL_ADMIN, "education")
    user.role_grants.update(unit=university.slug)
    return user


@pytest.fixture
def su(make_staff: Any, university: School) -> User:
    """Daw Su, a teacher at the university only."""
    user = make_staff("teacher-su", Role.TEACHER, "education")
    user.role_grants.update(unit=university.slug)
    return user


@pytest.fixture
def course(university: School, thida: User) -> Course:
    return classes.create_course(
        university, "EDU101", "Child development", thida, credits=3, level="Year 1"
    )


@pytest.fixture
def section(course: Course, thida: User, su: User) -> Section:
    return classes.create_section(course, "2025 term 1", thida, teachers=[su])


@pytest.fixture
def aung(db: Any) -> User:
    """A student with a pseudonymous account."""
    user, _codes = accounts.create_citizen_account("aung", PASSPHRASE)
    return user


@pytest.fixture
def enrolled(section: Section, aung: User, su: User) -> Any:
    return classes.enrol(section, aung, su)


@pytest.fixture
def aung_client(aung: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(aung)
    return client


@pytest.fixture
def su_client(su: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(su)
    return client
