from django.test import Client

from pyithu.geo.models import Township
from pyithu.geo.services import LoadReport, set_units_active

MYITKYINA = {
    "pcode": "MMR001001",
    "name_en": "Myitkyina",
    "name_my": "မြစ်ကြီးနား",
    "state_pcode": "MMR001",
    "district_pcode": "MMR001D001",
    "latitude": 25.38749,
    "longitude": 97.39036,
    "is_sub_township": False,
    "is_active": True,
}


def test_township_search_returns_json(loaded_geography: LoadReport, client: Client) -> None:
    # When an anonymous client searches townships for "myitk"
    response = client.get("/api/geo/townships", {"q": "myitk"})

    # Then Myitkyina comes back as JSON
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == [MYITKYINA]


def test_township_search_by_burmese_name_and_state(
    loaded_geography: LoadReport, client: Client
) -> None:
    # When a client searches in Burmese, and lists a state/region by MIMU's split code
    burmese = client.get("/api/geo/townships", {"q": "မြစ်ကြီးနား"}).json()
    north_shan = client.get("/api/geo/townships", {"state": "MMR015"}).json()

    # Then Myitkyina is found, and North Shan's 41 townships all belong to Shan (MMR014)
    assert burmese == [MYITKYINA]
    assert len(north_shan) == 41
    assert {row["state_pcode"] for row in north_shan} == {"MMR014"}


def test_township_list_without_a_query_returns_all_active(
    loaded_geography: LoadReport, client: Client
) -> None:
    # Given Waingmaw has been retired
    set_units_active(Township.objects.filter(pcode="MMR001002"), active=False, actor=None)

    # When a client lists every township, then asks for retired ones too
    active = client.get("/api/geo/townships").json()
    everything = client.get("/api/geo/townships", {"include_inactive": "true"}).json()

    # Then the retired township is only in the second list
    assert (len(active), len(everything)) == (350, 351)


def test_one_township_by_pcode(loaded_geography: LoadReport, client: Client) -> None:
    # When a client asks for Myitkyina by its P-code
    response = client.get("/api/geo/townships/MMR001001")

    # Then it gets that township
    assert response.status_code == 200
    assert response.json() == MYITKYINA


def test_unknown_pcode_is_a_404_with_a_message(
    loaded_geography: LoadReport, client: Client
) -> None:
    # When a client asks for a P-code that does not exist
    response = client.get("/api/geo/townships/MMR999999")

    # Then it gets a 404 saying so
    assert response.status_code == 404
    assert response.json() == {"detail": "No township has the P-code MMR999999."}


def test_states_lists_the_fifteen(loaded_geography: LoadReport, client: Client) -> None:
    # When a client lists states and regions
    states = client.get("/api/geo/states").json()

    # Then the 15 come in MIMU order with both names
    assert len(states) == 15
    assert states[0] == {"pcode": "MMR001", "name_en": "Kachin", "name_my": "ကချင်ပြည်နယ်"}
    assert states[-1]["pcode"] == "MMR018"
