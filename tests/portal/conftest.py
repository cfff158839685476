from typing import Any

import pytest

from pyithu.portal.models import Ministry, Service


@pytest.fixture
def empty_catalogue(db: Any) -> None:
    """No ministries or services at all, as on a fresh install (undone after the test)."""
    Service.objects.all().delete()
    Ministry.objects.all().delete()
