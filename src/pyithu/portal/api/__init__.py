"""JSON API of the portal, mounted at /api/portal/: the catalogue, surveys and answers,
feedback, and reach figures. Public except survey results (staff bearer token)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from pyithu.core.schema import Code
from pyithu.portal.api.participation import attach
from pyithu.portal.models import Ministry, Service
from pyithu.portal.selectors import active_ministries, active_services

router = Router(tags=["portal"], auth=None)


class ServiceSummaryOut(Schema):
    slug: str
    name_en: str
    name_my: str
    mode: str


class MinistryOut(Schema):
    slug: str
    name_en: str
    name_my: str
    services: list[ServiceSummaryOut]

    @staticmethod
    def resolve_services(obj: Ministry) -> list[Service]:
        return list(obj.services.all())


class ServiceOut(Schema):
    slug: str
    ministry: str
    name_en: str
    name_my: str
    summary_en: str
    summary_my: str
    mode: str
    areas_en: str
    areas_my: str
    how_online_en: str
    how_online_my: str
    how_offline_en: str
    how_offline_my: str
    internal_url: str

    @staticmethod
    def resolve_ministry(obj: Service) -> str:
        return obj.ministry.slug


class NotFoundOut(Schema):
    detail: str


@router.get("/ministries", response=list[MinistryOut], summary="Ministries and their services")
def list_ministries(request: HttpRequest) -> list[Ministry]:
    """The active ministries in catalogue order, each with its active services."""
    return list(active_ministries())


@router.get(
    "/services/{slug}",
    response={200: ServiceOut, 404: NotFoundOut},
    summary="One service by slug",
)
def get_service(request: HttpRequest, slug: Code) -> Service | tuple[int, dict[str, str]]:
    """An active service, with how to reach it online and offline in English and Burmese."""
    service = active_services().filter(slug=slug).first()
    if service is None:
        return 404, {"detail": f"No service has the slug {slug}."}
    return service


attach(router)
