"""Public JSON API for administrative units, mounted at /api/geo/. No authentication."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from pyithu.core.schema import Code, SearchQuery
from pyithu.geo.models import StateRegion, Township
from pyithu.geo.selectors import active_states, find_townships, get_township

router = Router(tags=["geography"], auth=None)


class StateOut(Schema):
    pcode: str
    name_en: str
    name_my: str


class TownshipOut(Schema):
    pcode: str
    name_en: str
    name_my: str
    state_pcode: str
    district_pcode: str
    latitude: float | None
    longitude: float | None
    is_sub_township: bool
    is_active: bool

    @staticmethod
    def resolve_state_pcode(obj: Township) -> str:
        return obj.state.pcode

    @staticmethod
    def resolve_district_pcode(obj: Township) -> str:
        return obj.district.pcode

    @staticmethod
    def resolve_latitude(obj: Township) -> float | None:
        return None if obj.latitude is None else float(obj.latitude)

    @staticmethod
    def resolve_longitude(obj: Township) -> float | None:
        return None if obj.longitude is None else float(obj.longitude)


class NotFoundOut(Schema):
    detail: str


@router.get("/states", response=list[StateOut], summary="States and regions in use")
def list_states(request: HttpRequest) -> list[StateRegion]:
    return active_states()


@router.get("/townships", response=list[TownshipOut], summary="Find townships")
def list_townships(
    request: HttpRequest, q: SearchQuery = "", state: Code = "", include_inactive: bool = False
) -> list[Township]:
    """Townships whose English or Burmese name has words starting with the words of ``q``, or
    whose P-code is ``q``. ``state`` narrows to a state/region P-code (or MIMU's split codes,
    e.g. MMR015 for North Shan). Retired townships are left out unless ``include_inactive``.
    """
    return find_townships(q, state=state, include_inactive=include_inactive, limit=None)


@router.get(
    "/townships/{pcode}",
    response={200: TownshipOut, 404: NotFoundOut},
    summary="One township by P-code",
)
def get_township_by_pcode(request: HttpRequest, pcode: Code) -> Township | tuple[int, dict]:
    """The township with this P-code, including a retired one (``is_active`` is false)."""
    township = get_township(pcode)
    if township is None:
        return 404, {"detail": f"No township has the P-code {pcode}."}
    return township
