from django.urls import path

from pyithu.health.views import citizen as views
from pyithu.health.views import staff as staff_views

app_name = "health"
urlpatterns = [
    path("", views.home, name="home"),
    path("book/", views.book, name="book"),
    path("emergency/", views.emergency, name="emergency"),
    path("hotline/", views.hotline, name="hotline"),
    path("case/", views.case, name="case"),
    path("case/forget/", views.case_forget, name="case_forget"),
    path("case/share/", views.case_share, name="case_share"),
    path("case/prescriptions/", views.case_prescriptions, name="case_prescriptions"),
    path("verify/", views.verify, name="verify"),
    path("verify/offline/", views.verify_offline, name="verify_offline"),
    path("questions/", views.questions, name="questions"),
    path("clinics/", views.clinics, name="clinics"),
    path("reach/", views.reach, name="reach"),
    path("staff/", staff_views.staff_home, name="staff"),
    path("staff/queue/", staff_views.queue, name="queue"),
    path("staff/case/<uuid:case_id>/", staff_views.case_detail, name="staff_case"),
    path("staff/case/<uuid:case_id>/claim/", staff_views.claim, name="claim"),
    path("staff/case/<uuid:case_id>/reply/", staff_views.reply, name="reply"),
    path("staff/case/<uuid:case_id>/outcome/", staff_views.outcome, name="outcome"),
    path("staff/case/<uuid:case_id>/prescribe/", staff_views.prescribe, name="prescribe"),
    path("staff/case/<uuid:case_id>/fhir.json", staff_views.fhir_bundle, name="fhir"),
    path("staff/slots/", staff_views.slots, name="slots"),
    path("staff/questions/", staff_views.answer_questions, name="answer_questions"),
]
