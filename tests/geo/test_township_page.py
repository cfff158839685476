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


def test_page_has_its_url_name_and_is_a_citizen_page() -> None:
    # Then the page is reachable by name and carries the citizen-page mark
    assert reverse("geo:townships") == URL
    assert township_list.citizen_page is True


def test_empty_search_lists_every_township_by_state(
    loaded_geography: LoadReport, client_en: Client
) -> None:
    # When a visitor opens the page without searching
    response = client_en.get(URL)

    # Then all 351 townships are listed under their 15 states/regions, in both scripts
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<tr><td lang="my">') == 351
    assert html.count('<th colspan="3" scope="rowgroup">') == 15
    assert '<th colspan="3" scope="rowgroup">ကချင်ပြည်နယ် · Kachin' in html
    assert '<tr><td lang="my">မြစ်ကြီးနား<td>Myitkyina<td>MMR001001' in html
    assert "<td>Nam Tit <small>sub-township</small><td>MMR015301" in html
    assert "<script" not in html


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
    assert '<th colspan="3" scope="rowgroup">ကချင်ပြည်နယ် · Kachin' in html
    assert '<tr><td lang="my">မြစ်ကြီးနား<td>Myitkyina<td>MMR001001' in html
    assert 'value="Myitk"' in html


def test_burmese_search_works_in_the_burmese_ui(
    loaded_geography: LoadReport, client_my: Client
) -> None:
    # When a visitor searches in Burmese for the first word of Myitkyina's name
    response = client_my.get(URL, {"q": "မြစ်"})

    # Then Myitkyina and Myittha are listed
    html = response.content.decode()
    assert html.count('<tr><td lang="my">') == 2
    assert "<td>Myitkyina<td>MMR001001" in html
    assert "<td>Myittha<td>MMR010015" in html


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

    # When the full list is shown
    html = client_en.get(URL).content.decode()

    # Then Waingmaw is not on it
    assert html.count('<tr><td lang="my">') == 350
    assert "MMR001002" not in html


def test_full_list_fits_the_citizen_page_budget(
    loaded_geography: LoadReport, client_my: Client, client_en: Client
) -> None:
    # Given the site stylesheet every page loads
    css = Path(finders.find("core/site.css")).read_bytes()

    # When the heaviest version of the page (all 351 townships) is fetched in each script
    sizes = {
        name: len(gzip.compress(client.get(URL).content + css))
        for name, client in (("my", client_my), ("en", client_en))
    }

    # Then page plus stylesheet, gzip-compressed, stays well under the budget (14 KB)
    assert settings.PYITHU_PAGE_BUDGET_BYTES == 14 * 1024
    assert max(sizes.values()) < 12 * 1024, sizes
