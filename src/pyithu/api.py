"""The JSON API: one NinjaAPI, each app contributing a router from its own ``api.py``.

OpenAPI at /api/openapi.json, interactive docs at /api/docs (served from local static files).
"""

from ninja import NinjaAPI

from pyithu.accounts.api import router as accounts_router
from pyithu.accounts.api_auth import ApiTokenAuth
from pyithu.chat.api import router as chat_router
from pyithu.education.api import router as education_router
from pyithu.finance.api import router as finance_router
from pyithu.geo.api import router as geo_router
from pyithu.health.api import router as health_router
from pyithu.portal.api import router as portal_router
from pyithu.sms.api import router as sms_router
from pyithu.sync.api import router as sync_router

api = NinjaAPI(
    title="Pyithu API",
    version="1",
    description="Public services API. Staff and integrations authenticate with a bearer token.",
    urls_namespace="api",
)
api.add_router("/accounts/", accounts_router)
api.add_router("/geo/", geo_router)
api.add_router("/portal/", portal_router)
api.add_router("/health/", health_router)
api.add_router("/education/", education_router)
api.add_router("/finance/", finance_router)
api.add_router("/sync/", sync_router)
api.add_router("/chat/", chat_router)
api.add_router("/sms/", sms_router)

__all__ = ["ApiTokenAuth", "api"]
