import gzip
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from pyithu.geo.models import Township
from pyithu.geo.services import LoadReport, set_units_active
from pyithu.geo.views import township_list

URL = "/places/townships/"
ROW_MYITKYINA = '<tr><td lang="my">မြစ်ကြီးနား<td lang="en">Myitkyina<td translate="no">MMR001001'

OFFLINE_SCRIPT = '<script src="/static/core/offline.js" defer></script>'


def test_page_has_its_url_name_and_is_a_citizen_page() -> None:
    # Then the page is reachable by name and carries the citizen-page mark
    assert reverse("geo:townships") == URL
    assert township_list.citizen_page is True


def test_first_page_lists_the_states_and_regions_to_browse_by(
    loaded_geography: LoadReport, client_en: Client
) -> None:
    # When a visitor opens the page without searching
    response = client_en.get(URL)

    # Then the 15 states/regions are listed with their township counts, and no township
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<li><a href="?state=MMR') == 15
    assert '<li><a href="?state=MMR001">Kachin</a> (18 townships)</li>' in html
    assert '<tr><td lang="my">' not in html
    # The one script: the deferred service-worker registration, never needed (0086)
    assert "<script" not in html.replace(OFFLINE_SCRIPT, "")


def test_a_state_lists_its_townships_in_both_scripts(
    loaded_geography: LoadReport, client_en: Client, client_my: Client
) -> None:
    # When a visitor opens Kachin State, and Shan State
    html = client_en.get(URL, {"state": "MMR001"}).content.decode()
    shan = client_en.get(URL, {"state": "MMR014"}).content.decode()

    # Then its townships are listed under it, in both scripts, with a way back
    assert html.count('<tr><td lang="my">') == 18
    assert '<th colspan="3" scope="rowgroup">ကချင်ပြည်နယ် · <span lang="en">Kachin</span>' in html
    assert ROW_MYITKYINA in html
    assert '<td lang="en">Nam Tit <small>sub-township</small><td translate="no">MMR015301' in shan
    assert 'href="/places/townships/"' in html
    # And in Burmese the count reads in Burmese digits
    burmese = client_my.get(URL).content.decode()
    assert "မြို့နယ် ၁၈ ခု" in burmese


def test_search_lists_only_matching_townships(
    loaded_geography: LoadReport, client_en: Client
) -> None:
    # When a visitor searches for "Myitk"
    response = client_en.get(URL, {"q": "Myitk"})

    # Then Myitkyina alone is listed, under Kachin, and the search box keeps the words
    html = response.content.decode()
    assert response.status_code == 200
    assert "<p>1 township found.</p>" in html
    assert html.count('<tr><td lang="my">') == 1
    assert '<th colspan="3" scope="rowgroup">ကချင်ပြည်နယ် · <span lang="en">Kachin</span>' in html
    assert ROW_MYITKYINA in html
    assert 'value="Myitk"' in html


def test_burmese_search_works_in_the_burmese_ui(
    loaded_geography: LoadReport, client_my: Client
) -> None:
    # When a visitor searches in Burmese for the first word of Myitkyina's name
    response = client_my.get(URL, {"q": "မြစ်"})

    # Then Myitkyina and Myittha are listed
    html = response.content.decode()
    assert html.count('<tr><td lang="my">') == 2
    assert '<td lang="en">Myitkyina<td translate="no">MMR001001' in html
    assert '<td lang="en">Myittha<td translate="no">MMR010015' in html


def test_search_without_matches_says_so(loaded_geography: LoadReport, client_en: Client) -> None:
    # When a visitor searches for a name no township has
    response = client_en.get(URL, {"q": "Atlantis"})

    # Then the page says nothing matched and lists no township
    html = response.content.decode()
    assert "No township matches. Check the spelling, or search by P-code." in html
    assert "<table>" not in html


def test_broad_search_shows_the_first_fifty(
    loaded_geography: LoadReport, client_en: Client
) -> None:
    # When a visitor searches for a P-code prefix every township shares
    response = client_en.get(URL, {"q": "mmr"})

    # Then 50 are listed, with a hint to narrow the search
    html = response.content.decode()
    assert html.count('<tr><td lang="my">') == 50
    assert "More than 50 townships match. Type more of the name to narrow the list." in html


def test_retired_township_is_not_listed(loaded_geography: LoadReport, client_en: Client) -> None:
    # Given Waingmaw has been retired
    set_units_active(Township.objects.filter(pcode="MMR001002"), active=False, actor=None)

    # When Kachin State is shown
    html = client_en.get(URL, {"state": "MMR001"}).content.decode()

    # Then Waingmaw is not on it
    assert html.count('<tr><td lang="my">') == 17
    assert "MMR001002" not in html


def test_full_list_fits_the_citizen_page_budget(
    loaded_geography: LoadReport, client_my: Client, client_en: Client
) -> None:
    # Given the site stylesheet every page loads
    css = Path(finders.find("core/site.css")).read_bytes()

    # When the heaviest version of the page (a search matching 50 townships, Shan State's 55)
    # is fetched in each script
    sizes = {
        (name, str(query)): len(gzip.compress(client.get(URL, query).content + css))
        for query in ({"q": "mmr"}, {"state": "MMR014"})
        for name, client in (("my", client_my), ("en", client_en))
    }

    # Then page plus stylesheet, gzip-compressed, stays well under the budget (14 KB)
    assert settings.PYITHU_PAGE_BUDGET_BYTES == 14 * 1024
    assert max(sizes.values()) < 12 * 1024, sizes
