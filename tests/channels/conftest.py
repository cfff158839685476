"""The records the SMS tests ask about, asked here through the shared look-ups."""

from tests.sms.conftest import (  # noqa: F401
    aung_application,
    hnin_code,
    mya_booking,
    nilar,
    sitting,
    spring_school,
)
