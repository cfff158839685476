from __future__ import annotations

from typing import Any

import pytest

from pyithu.accounts import services as accounts
from pyithu.accounts.models import Role, User
from pyithu.geo.models import Township
from pyithu.health.models import Consultation
from pyithu.health.services import booking


@pytest.fixture
def township(db: Any) -> Township:
    return Township.objects.active().order_by("pcode").first()


@pytest.fixture
def make_doctor(make_staff: Any):
    """A doctor working in the given clinics ("" = the ministry-wide grant: general clinic)."""

    def make(handle: str, *units: str) -> User:
        user = make_staff(handle, Role.DOCTOR, "health")  # unit "": the general clinic
        for unit in units:
            accounts.grant_role(user, Role.DOCTOR, "health", unit=unit)
        return user

    return make


@pytest.fixture
def thida(make_doctor: Any) -> User:
    """General-clinic doctor."""
    return make_doctor("doctor-thida")


@pytest.fixture
def kyaw(make_staff: Any) -> User:
    """Cardiologist only (no general-clinic grant)."""
    user = make_staff("doctor-kyaw", Role.OPERATOR, "communications")
    accounts.grant_role(user, Role.DOCTOR, "health", unit="clinic:cardiology")
    return user


@pytest.fixture
def book(township: Township):
    """Book a consultation as Mya (no account); returns (consultation, code)."""

    def make(symptoms: str = "Cough for two weeks, mild fever at night.", **extra: Any):
        details = {
            "symptoms": symptoms,
            "age_band": "18-39",
            "sex": "female",
            "language": "my",
            "township": township,
        } | extra
        return booking.book_consultation(booking.Booking(**details))

    return make


@pytest.fixture
def mya_case(book: Any) -> tuple[Consultation, str]:
    return book(contact_channel="telegram", contact="@mya_health")
