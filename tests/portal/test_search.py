import re
from typing import Any

import pytest
from django.test import Client

from pyithu.portal.models import Service
from pyithu.portal.selectors import search_catalogue


def _found(client: Client, query: str) -> list[str]:
    """The ministry and service slugs a search page links to, in page order."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return re.findall(
        r'<h2><a href="/(?:services|ministries)/([a-z-]+)/">', response.content.decode()
    )


def test_english_search_finds_tele_kyan_mar(db: Any, client_en: Client) -> None:
    # given the loaded catalogue
    # when a reader searches for "telemedicine", in another case
    found = _found(client_en, "TELEMEDICINE")
    # then Tele Kyan Mar is the only result
    assert found == ["tele-kyan-mar"]


def test_burmese_search_finds_tele_kyan_mar(db: Any, client_my: Client) -> None:
    # given the loaded catalogue
    # when a reader searches for Tele Kyan Mar in Burmese script
    found = _found(client_my, "တယ်လီကျန်းမာ")
    # then Tele Kyan Mar is the only result, named in Burmese
    assert found == ["tele-kyan-mar"]
    page = client_my.get("/search/", {"q": "တယ်လီကျန်းမာ"}).content.decode()
    assert "တယ်လီကျန်းမာ အွန်လိုင်းဆေးခန်း" in page


def test_search_matches_word_starts_in_either_language(db: Any, client_en: Client) -> None:
    # given the loaded catalogue
    # when a reader with the English UI searches a Burmese word, and an English word prefix
    # then both find the bank
    assert _found(client_en, "ဘဏ်") == ["spring-development-bank"]
    assert _found(client_en, "ban") == ["spring-development-bank"]


def test_search_finds_ministries_before_services(db: Any, client_en: Client) -> None:
    # given the loaded catalogue
    # when a reader searches for "justice"
    found = _found(client_en, "justice")
    # then the Ministry of Justice comes first, then services that mention justice
    assert found == ["justice", "violations-documentation"]


def test_search_leaves_out_retired_services(db: Any, client_en: Client) -> None:
    # given a retired Tele Kyan Mar
    Service.objects.filter(slug="tele-kyan-mar").update(is_active=False)
    # when a reader searches for it
    # then it is not found
    assert _found(client_en, "telemedicine") == []


@pytest.mark.parametrize("query", ["", "   ", "!!!", "zzzz"])
def test_search_with_nothing_to_find(db: Any, client_en: Client, query: str) -> None:
    # given an empty, blank, punctuation-only or unknown query
    # when a reader searches
    # then nothing is listed and the page still renders
    assert _found(client_en, query) == []


def test_search_ignores_words_past_100_characters(db: Any) -> None:
    # given a query whose only unknown word starts after the 100th character
    query = "bank" + " " * 100 + "zzzz"
    # when it is searched
    ministries, services = search_catalogue(query)
    # then the unknown word is ignored and the bank is found
    assert ministries == []
    assert [service.slug for service in services] == ["spring-development-bank"]


def test_search_text_follows_an_operator_rename(db: Any) -> None:
    # given an operator who renames NUG Pay
    service = Service.objects.get(slug="nug-pay")
    service.name_en = "Spring Wallet"
    service.save(update_fields=["name_en"])
    # when someone searches the new name
    ministries, services = search_catalogue("spring wallet")
    # then NUG Pay is found by it
    assert ministries == []
    assert [s.slug for s in services] == ["nug-pay"]
