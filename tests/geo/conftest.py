import pytest

from pyithu.geo.models import District, StateRegion, Township
from pyithu.geo.services import LoadReport, load_admin_units


@pytest.fixture
def loaded_geography(db: None) -> LoadReport:
    """The shipped MIMU data loaded (15 / 79 / 351 units); the report of this fixture's load.

    The session set-up may have loaded it already, in which case this load creates nothing.
    """
    return load_admin_units()


@pytest.fixture
def empty_geography(db: None) -> None:
    """No administrative units at all, as on a fresh install (undone after the test)."""
    Township.objects.all().delete()
    District.objects.all().delete()
    StateRegion.objects.all().delete()
