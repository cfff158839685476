from typing import Any

import pytest

from pyithu.portal.models import Ministry, Service


@pytest.fixture
def empty_catalogue(db: Any) -> None:
    """No ministries or services at all, as on a fresh install (undone after the test)."""
    Service.objects.all().delete()
    Ministry.objects.all().delete()


@pytest.fixture
def trust_survey(db: Any) -> Any:
    """The trust survey template, published by the Ministry of Communications."""
    from pyithu.portal.services.surveys import publish_survey
    from pyithu.portal.services.trust_survey import create_trust_survey

    survey = create_trust_survey(Ministry.objects.get(slug="communications"), "trust")
    return publish_survey(survey, None)


@pytest.fixture
def options(trust_survey: Any) -> dict[tuple[str, int], Any]:
    """The trust survey's options by (question key, position)."""
    from pyithu.portal.models import Option

    found = Option.objects.filter(question__survey=trust_survey).select_related("question")
    return {(o.question.key, o.position): o for o in found}
