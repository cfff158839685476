"""Routes of the photos, hotline, referral-desk and facility pages (inside ``health:``)."""

from django.urls import path

from pyithu.health.support.views import citizen as views
from pyithu.health.support.views import staff as staff_views

urlpatterns = [
    path("hotline/", views.hotline_page, name="hotline"),
    path("hotline/waiting/", views.hotline_waiting, name="hotline_waiting"),
    path("emergency/", views.emergency, name="emergency"),
    path("case/photo/", views.case_photo, name="case_photo"),
    path(
        "staff/case/<uuid:case_id>/photo/<uuid:photo_id>/",
        staff_views.case_photo,
        name="staff_case_photo",
    ),
    path("staff/hotline/", staff_views.hotline_queue, name="hotline_queue"),
    path("staff/hotline/rota/", staff_views.hotline_rota, name="hotline_rota"),
    path("staff/hotline/<uuid:request_id>/", staff_views.hotline_request, name="hotline_request"),
    path("staff/hotline/<uuid:request_id>/act/", staff_views.hotline_act, name="hotline_act"),
    path("desk/", staff_views.desk, name="desk"),
    path("desk/refer/", staff_views.desk_refer, name="desk_refer"),
    path("desk/<uuid:referral_id>/", staff_views.desk_referral, name="desk_referral"),
    path("desk/<uuid:referral_id>/act/", staff_views.desk_act, name="desk_act"),
]
