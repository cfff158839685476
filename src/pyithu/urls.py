from django.contrib import admin
from django.urls import include, path

from pyithu.api import api

admin.site.site_header = "Pyithu"
admin.site.site_title = "Pyithu"

urlpatterns = [
    path("", include("pyithu.portal.urls")),
    path("", include("pyithu.core.urls")),
    path("", include("pyithu.operations.urls")),
    path("accounts/", include("pyithu.accounts.urls")),
    path("places/", include("pyithu.geo.urls")),
    path("health/", include("pyithu.health.urls")),
    path("education/", include("pyithu.education.urls")),
    path("finance/", include("pyithu.finance.urls")),
    path("sync/", include("pyithu.sync.urls")),
    path("chat/", include("pyithu.chat.urls")),
    path("sms/", include("pyithu.sms.urls")),
    path("api/", api.urls),
    path("staff/admin/", admin.site.urls),
]

handler400 = "pyithu.core.views.bad_request"
handler403 = "pyithu.core.views.permission_denied"
handler404 = "pyithu.core.views.page_not_found"
handler500 = "pyithu.core.views.server_error"
