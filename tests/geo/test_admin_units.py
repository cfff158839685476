import pytest
from django.test import Client

from pyithu.accounts.models import User
from pyithu.core.models import AuditEntry
from pyithu.geo.models import Township
from pyithu.geo.services import LoadReport

ADMIN = "/staff/admin/geo/township/"


@pytest.fixture
def sam(db: None) -> User:
    """A system administrator."""
    return User.objects.create_superuser("admin-sam", "correct horse battery 42")


@pytest.fixture
def sam_client(sam: User) -> Client:
    client = Client()
    client.force_login(sam)
    return client


def test_admin_finds_townships_by_name_or_pcode(
    loaded_geography: LoadReport, sam_client: Client
) -> None:
    # When the administrator searches the township list by Burmese name and by P-code
    by_name = sam_client.get(ADMIN, {"q": "မြစ်ကြီးနား"})
    by_pcode = sam_client.get(ADMIN, {"q": "MMR001001"})

    # Then Myitkyina is listed both times
    for response in (by_name, by_pcode):
        assert response.status_code == 200
        assert response.context["cl"].result_count == 1
        assert "MMR001001" in response.content.decode()


def test_admin_retires_a_township_without_deleting_it(
    loaded_geography: LoadReport, sam: User, sam_client: Client
) -> None:
    # Given Waingmaw is active
    waingmaw = Township.objects.get(pcode="MMR001002")

    # When the administrator retires it with the list action
    response = sam_client.post(ADMIN, {"action": "retire", "_selected_action": [str(waingmaw.pk)]})

    # Then it is retired, still there, and the audit log names who did it
    assert response.status_code == 302
    waingmaw.refresh_from_db()
    assert waingmaw.is_active is False
    entry = AuditEntry.objects.get(action="geo.retire.township")
    assert (entry.actor, entry.target_id) == (sam, str(waingmaw.pk))


def test_admin_cannot_delete_units(loaded_geography: LoadReport, sam_client: Client) -> None:
    # When the administrator opens the delete page of a township
    waingmaw = Township.objects.get(pcode="MMR001002")
    response = sam_client.get(f"{ADMIN}{waingmaw.pk}/delete/")

    # Then it is forbidden and the township remains
    assert response.status_code == 403
    assert Township.objects.filter(pk=waingmaw.pk).exists()


def test_admin_keeps_the_pcode_of_an_existing_unit(
    loaded_geography: LoadReport, sam_client: Client
) -> None:
    # When the administrator opens Myitkyina's change page
    myitkyina = Township.objects.get(pcode="MMR001001")
    response = sam_client.get(f"{ADMIN}{myitkyina.pk}/change/")

    # Then the names can be edited but the P-code cannot
    form = response.context["adminform"].form
    assert response.status_code == 200
    assert "pcode" not in form.fields
    assert {"name_en", "name_my", "is_active"} <= set(form.fields)
