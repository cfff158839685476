import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pyithu.core.models import AuditEntry
from pyithu.portal.models import Ministry, Service
from pyithu.portal.services import CatalogueError, load_catalogue

SERVICE_COUNT = 37

APPENDIX_MINISTRIES = [
    "Ministry of Defense",
    "Ministry of Health",
    "Ministry of Planning, Finance and Investment",
    "Ministry of Foreign Affairs",
    "Ministry of Education",
    "Ministry of Home Affairs and Immigration",
    "Ministry of Federal Union Affairs",
    "Ministry of Humanitarian Affairs and Disaster Management",
    "Ministry of Human Rights",
    "Ministry of Natural Resources and Environmental Conservation",
    "Ministry of International Cooperation",
    "Ministry of Women, Youths and Children Affairs",
    "Ministry of Labour",
    "Ministry of Justice",
    "Ministry of Communications, Information & Technology",
    "Ministry of Electricity & Energy",
    "Ministry of Commerce",
]


def test_loader_creates_the_17_ministries_and_their_services(empty_catalogue: None) -> None:
    # given an empty catalogue
    audited = AuditEntry.objects.filter(action="portal.load_catalogue")
    before = audited.count()
    # when the shipped catalogue is loaded
    written = load_catalogue()
    # then the 17 ministries of Appendix 1 exist in its order, with all their services
    assert written == 17 + SERVICE_COUNT
    assert list(Ministry.objects.values_list("name_en", flat=True)) == APPENDIX_MINISTRIES
    assert Service.objects.count() == SERVICE_COUNT
    assert Ministry.objects.get(slug="health").name_my == "ကျန်းမာရေးဝန်ကြီးဌာန"
    health = Service.objects.filter(ministry__slug="health").values_list("slug", "mode")
    assert list(health) == [
        ("tele-kyan-mar", "digital"),
        ("hospitals-clinics", "in_person"),
        ("mobile-health-units", "in_person"),
    ]
    assert audited.count() == before + 1


def test_every_service_has_both_languages_and_guidance(empty_catalogue: None) -> None:
    # given the shipped catalogue, loaded
    load_catalogue()
    # when every service's texts are checked
    incomplete = [
        service.slug
        for service in Service.objects.all()
        if not all(
            getattr(service, f"{field}_{lang}")
            for field in ("name", "summary", "areas", "how_online", "how_offline")
            for lang in ("en", "my")
        )
    ]
    # then none lacks a name, summary, areas or guidance in English or Burmese
    assert incomplete == []


def test_reloading_changes_nothing(db: Any) -> None:
    # given the catalogue already loaded (by the session set-up)
    entries = AuditEntry.objects.count()
    # when it is loaded again
    written = load_catalogue()
    # then nothing is written, duplicated or audited
    assert written == 0
    assert Ministry.objects.count() == 17
    assert Service.objects.count() == SERVICE_COUNT
    assert AuditEntry.objects.count() == entries


def test_operator_edit_survives_a_reload(db: Any) -> None:
    # given an operator who renamed a service and retired another
    Service.objects.filter(slug="nug-pay").update(name_en="NUG Pay wallet")
    Service.objects.filter(slug="forestry").update(is_active=False)
    # when the catalogue is loaded again
    written = load_catalogue()
    # then both edits are kept
    assert written == 0
    assert Service.objects.get(slug="nug-pay").name_en == "NUG Pay wallet"
    assert Service.objects.get(slug="forestry").is_active is False


def test_update_resets_texts_but_not_retirement(db: Any) -> None:
    # given an operator who renamed a service and retired another
    Service.objects.filter(slug="nug-pay").update(name_en="NUG Pay wallet")
    Service.objects.filter(slug="forestry").update(is_active=False)
    # when the catalogue is loaded with update=True
    written = load_catalogue(update=True)
    # then the name is the file's again, and the retired service stays retired
    assert written == 1
    assert Service.objects.get(slug="nug-pay").name_en == "NUG Pay mobile wallet"
    assert Service.objects.get(slug="forestry").is_active is False


def _service(slug: str, **fields: str) -> dict[str, str]:
    texts = ("name", "summary", "areas", "how_online", "how_offline")
    entry = {f"{field}_{lang}": f"{slug} {field}" for field in texts for lang in ("en", "my")}
    return {"slug": slug, "mode": "digital", **entry, **fields}


def _catalogue_file(tmp_path: Path, *services: dict[str, str]) -> Path:
    ministry = {"slug": "justice", "name_en": "Justice", "name_my": "တရားရေး"}
    data = {"ministries": [{**ministry, "services": list(services)}]}
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_malformed_file_is_refused_and_writes_nothing(
    empty_catalogue: None, tmp_path: Path
) -> None:
    # given a catalogue whose second service has an unknown mode
    path = _catalogue_file(
        tmp_path, _service("legal-advice"), _service("court-hearings", mode="by-pigeon")
    )
    # when it is loaded
    with pytest.raises(CatalogueError) as refused:
        load_catalogue(path)
    # then it is refused, naming the service, and nothing was written
    assert str(refused.value) == (
        "Service 'court-hearings': mode must be one of ['digital', 'in_person', 'mixed']."
    )
    assert Ministry.objects.count() == 0
    assert Service.objects.count() == 0


def test_a_link_to_another_host_is_refused(empty_catalogue: None, tmp_path: Path) -> None:
    # given a catalogue whose second service links to another host
    path = _catalogue_file(
        tmp_path,
        _service("legal-advice", internal_url="/justice/"),
        _service("court-hearings", internal_url="//tracker.example/justice/"),
    )
    # when it is loaded
    with pytest.raises(CatalogueError) as refused:
        load_catalogue(path)
    # then it is refused, and the transaction left nothing behind
    assert str(refused.value) == (
        "service 'court-hearings': ['Enter a path inside this site, such as /health/.']"
    )
    assert Ministry.objects.count() == 0
    assert Service.objects.count() == 0


def test_command_reports_a_broken_file_as_a_command_error(db: Any, tmp_path: Path) -> None:
    # given a file that is not JSON
    path = tmp_path / "catalogue.json"
    path.write_text("{not json", encoding="utf-8")
    # when the command loads it
    with pytest.raises(CommandError) as refused:
        call_command("load_catalogue", file=path, verbosity=0)
    # then it stops with a readable error and the catalogue is untouched
    assert str(refused.value).startswith(f"Cannot read the catalogue {path}: ")
    assert Ministry.objects.count() == 17


RUN_HERE = {
    "tele-kyan-mar": "/health/",
    "hospitals-clinics": "/health/clinics/",
    "nway-oo-lottery": "/finance/lottery/",
    "spring-development-bank": "/finance/deposits/",
    "nug-pay": "/finance/",
    "basic-education": "/education/schools/",
    "online-higher-education": "/education/admissions/",
    "beca-exam": "/education/exam/",
    "telecommunications": "/reach/",
}


def test_services_the_platform_runs_link_to_pages_that_exist(db: Any) -> None:
    from django.urls import resolve

    linked = dict(Service.objects.exclude(internal_url="").values_list("slug", "internal_url"))
    assert linked == RUN_HERE
    for url in linked.values():
        assert resolve(url)


def test_a_reload_links_services_loaded_before_their_pages_existed(db: Any) -> None:
    # Given a site whose catalogue was loaded when no service had pages here
    Service.objects.update(internal_url="")
    Service.objects.filter(slug="nug-pay").update(internal_url="/finance/send/")
    # When the catalogue is loaded again (as every set-up does)
    load_catalogue()
    # Then the services now run here link to their pages; an operator's own link is kept
    linked = dict(Service.objects.exclude(internal_url="").values_list("slug", "internal_url"))
    assert linked == RUN_HERE | {"nug-pay": "/finance/send/"}
