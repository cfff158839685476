from django.urls import path

from pyithu.health.support import urls as support_urls
from pyithu.health.views import care as care_views
from pyithu.health.views import citizen as views
from pyithu.health.views import staff as staff_views

app_name = "health"
urlpatterns = [
    path("", views.home, name="home"),
    path("book/", views.book, name="book"),
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
    # Appointments, reminders and cases that move (care_views).
    path("case/appointment/", care_views.appointment, name="appointment"),
    path("case/appointment/cancel/", care_views.appointment_cancel, name="appointment_cancel"),
    path("stop/", care_views.stop, name="stop"),
    path("staff/roster/", care_views.roster, name="roster"),
    path("staff/roster/withdraw/", care_views.roster_withdraw, name="roster_withdraw"),
    path("staff/no-show/", care_views.no_show, name="no_show"),
    path("staff/hand-back/", care_views.hand_back, name="hand_back"),
    path("staff/coordinate/", care_views.coordinate, name="coordinate"),
]
# Photos of results, the live hotline, referral desks and facilities (their own folder).
urlpatterns += support_urls.urlpatterns
