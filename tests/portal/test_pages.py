import gzip
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from pyithu.portal.models import Ministry, Service

OFFLINE_SCRIPT = '<script src="/static/core/offline.js" defer></script>'


def _text(response: Any) -> str:
    return response.content.decode()


def test_home_lists_all_17_ministries_in_english(db: Any, client_en: Client) -> None:
    # given the loaded catalogue and a reader who chose English
    # when they open the home page
    response = client_en.get("/")
    # then every ministry is a heading linking to its page, with its services and modes
    assert response.status_code == 200
    headings = re.findall(r'<h2><a href="/ministries/([a-z-]+)/">([^<]+)</a></h2>', _text(response))
    assert len(headings) == 17
    assert headings[1] == ("health", "Ministry of Health")
    assert headings[16] == ("commerce", "Ministry of Commerce")
    assert (
        '<a href="/services/tele-kyan-mar/">Tele Kyan Mar telemedicine</a> '
        '<span class="tag">Digital</span>'
    ) in _text(response)
    assert _text(response).count('<li><a href="/services/') == 37


def test_home_shows_burmese_names_in_burmese(db: Any, client_my: Client) -> None:
    # given a reader who chose Burmese
    # when they open the home page
    response = client_my.get("/")
    # then the ministries and services are named in Burmese
    assert response.status_code == 200
    assert '<a href="/ministries/health/">ကျန်းမာရေးဝန်ကြီးဌာန</a>' in _text(response)
    assert '<a href="/services/tele-kyan-mar/">တယ်လီကျန်းမာ အွန်လိုင်းဆေးခန်း</a>' in _text(response)
    assert "Ministry of Health" not in _text(response)


def test_hidden_services_and_ministries_are_not_listed(db: Any, client_en: Client) -> None:
    # given a retired service and a retired ministry
    Service.objects.filter(slug="nway-oo-lottery").update(is_active=False)
    Ministry.objects.filter(slug="commerce").update(is_active=False)
    # when the home page is opened
    page = _text(client_en.get("/"))
    # then neither is listed, and the rest still are
    assert "/services/nway-oo-lottery/" not in page
    assert "/ministries/commerce/" not in page
    assert page.count('<li><a href="/services/') == 35


def test_ministry_page_lists_its_services(db: Any, client_en: Client) -> None:
    # given the loaded catalogue
    # when a reader opens the Ministry of Justice
    response = client_en.get("/ministries/justice/")
    # then its three services are listed with summaries
    assert response.status_code == 200
    page = _text(response)
    assert "<h1>Ministry of Justice</h1>" in page
    assert re.findall(r'<h2><a href="/services/([a-z-]+)/">', page) == [
        "court-hearings",
        "legal-advice",
        "marriage-registration",
    ]
    assert "Free legal advice and legal aid, online and in person." in page


def test_service_page_says_how_to_reach_it_online_and_offline(db: Any, client_en: Client) -> None:
    # given the loaded catalogue
    tele = Service.objects.get(slug="tele-kyan-mar")
    # when a reader opens Tele Kyan Mar
    response = client_en.get("/services/tele-kyan-mar/")
    # then the page gives the mode, the guidance both ways, the areas and the ministry
    assert response.status_code == 200
    page = _text(response)
    assert "<h1>Tele Kyan Mar telemedicine</h1>" in page
    assert '<span class="tag">Digital</span>' in page
    assert "<h2>How to reach it online</h2>" in page
    assert "<h2>How to reach it without internet</h2>" in page
    assert "Request a consultation online" in page
    assert "Without internet, a volunteer at the Pyithu point" in page
    assert "<p>Online, across Myanmar and abroad</p>" in page
    assert '<a href="/ministries/health/">Ministry of Health</a>' in page
    # And the platform runs it: a button leads to its pages
    assert tele.internal_url == "/health/"
    assert '<a class="button" href="/health/">' in page


def test_service_page_in_burmese(db: Any, client_my: Client) -> None:
    # given a reader who chose Burmese
    # when they open the BECA exam page
    page = _text(client_my.get("/services/beca-exam/"))
    # then its name and areas are in Burmese
    assert "<h1>တက္ကသိုလ်ဝင်စာမေးပွဲ (BECA)</h1>" in page
    assert "<p>NUG ထိန်းချုပ်နယ်မြေများနှင့် အွန်လိုင်း</p>" in page


def test_service_with_a_module_links_to_it(db: Any, client_en: Client) -> None:
    # given an operator who linked Tele Kyan Mar to the health module
    Service.objects.filter(slug="tele-kyan-mar").update(internal_url="/health/")
    # when a reader opens the service
    page = _text(client_en.get("/services/tele-kyan-mar/"))
    # then the page links to the module
    assert '<a class="button" href="/health/">Use this service on Pyithu</a>' in page


@pytest.mark.parametrize(
    "url",
    ["/services/no-such-service/", "/ministries/no-such-ministry/", "/services/forestry/"],
)
def test_unknown_or_retired_slug_is_404(db: Any, client_en: Client, url: str) -> None:
    # given a retired service (forestry)
    Service.objects.filter(slug="forestry").update(is_active=False)
    # when a reader opens an unknown or retired entry
    response = client_en.get(url)
    # then it is not found
    assert response.status_code == 404


def test_service_of_a_retired_ministry_is_404(db: Any, client_en: Client) -> None:
    # given a retired ministry whose services are still active
    Ministry.objects.filter(slug="finance").update(is_active=False)
    # when a reader opens one of its services or its page
    # then neither is found
    assert client_en.get("/services/nug-pay/").status_code == 404
    assert client_en.get("/ministries/finance/").status_code == 404


def test_privacy_page_explains_what_is_kept(db: Any, client_en: Client) -> None:
    # given any reader
    # when they open the privacy page
    response = client_en.get("/privacy/")
    # then it explains pseudonymous accounts, sealing, trackers and chat apps
    assert response.status_code == 200
    page = _text(response)
    assert "<h2>Your account has no real name</h2>" in page
    assert "<h2>Contact details are sealed</h2>" in page
    assert "<h2>No trackers, nothing from other websites</h2>" in page
    assert "<h2>Chat apps can be watched</h2>" in page


@pytest.mark.parametrize("url", ["/", "/privacy/", "/services/tele-kyan-mar/", "/search/?q=bank"])
def test_pages_load_nothing_and_run_no_script(db: Any, client_en: Client, url: str) -> None:
    # given any catalogue page
    # when it is rendered
    # (but the deferred service-worker registration from the site, never needed: 0086)
    page = _text(client_en.get(url)).replace(OFFLINE_SCRIPT, "")
    # then it has no script, image, inline style or link to another host
    assert re.findall(r"<script|<img|<iframe|style=|https?://|src=", page) == []


@pytest.mark.parametrize("client_fixture", ["client_en", "client_my"])
def test_home_fits_the_byte_budget(
    db: Any, client_fixture: str, request: pytest.FixtureRequest
) -> None:
    # given the home page with all 17 ministries, in English and in Burmese
    client: Client = request.getfixturevalue(client_fixture)
    html = client.get("/").content
    css_path = finders.find("core/site.css")
    assert isinstance(css_path, str)
    with open(css_path, "rb") as css_file:
        css = css_file.read()
    # when the page and its stylesheet are compressed as a server would send them
    size = len(gzip.compress(html)) + len(gzip.compress(css))
    # then together they stay under half the 14 KB budget for citizen pages
    assert settings.PYITHU_PAGE_BUDGET_BYTES == 14 * 1024
    assert size < settings.PYITHU_PAGE_BUDGET_BYTES // 2, size
