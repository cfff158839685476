"""A foreign key declared ``to_field`` = the target's natural key (an enrolment's township by
P-code) already holds the key: it travels as is and is kept as is on arrival."""

from __future__ import annotations

from typing import Any

import pytest

from pyithu.core.changes import changed
from pyithu.education.classes.services import classes
from pyithu.education.models import Enrolment
from pyithu.geo.models import Township
from pyithu.sync.canonical import MissingReference, build_instance, record_fields
from pyithu.sync.models import ChangeLog


@pytest.fixture
def enrolment(section: Any, aung: Any, su: Any) -> Enrolment:
    lashio = Township.objects.get(pcode="MMR015001")
    return classes.enrol(section, aung, su, township=lashio)


def test_a_link_by_p_code_travels_as_the_p_code(enrolment: Enrolment) -> None:
    # Given an enrolment read back without its township loaded (as a bulk change would be)
    fresh = Enrolment.objects.get(pk=enrolment.pk)
    # When it is encoded for a bundle
    values = record_fields(fresh)
    # Then the township is its P-code, and decoding keeps the P-code in the column
    assert values["township_id"] == "MMR015001"
    rebuilt, _links = build_instance(Enrolment, values)
    assert rebuilt.township_id == "MMR015001"


def test_a_bulk_announcement_logs_it_without_error(enrolment: Enrolment) -> None:
    logged = ChangeLog.objects.filter(model="education.enrolment", object_id=str(enrolment.pk))
    before = logged.order_by("id").last()
    changed(Enrolment, [enrolment.pk])
    # A new change replaces the one that never left this site
    assert [c.pk for c in logged] != [before.pk] and logged.count() == 1


def test_an_unknown_p_code_is_refused(enrolment: Enrolment) -> None:
    values = record_fields(Enrolment.objects.get(pk=enrolment.pk))
    values["township_id"] = "MMR999999"
    with pytest.raises(MissingReference):
        build_instance(Enrolment, values)
