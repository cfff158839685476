from django.urls import path

from pyithu.education.views import admissions, certificates, exam_staff, exams

app_name = "education"
urlpatterns = [
    path("exam/", exams.exam_login, name="exam_login"),
    path("exam/q/<int:n>/", exams.exam_question, name="exam_question"),
    path("exam/review/", exams.exam_review, name="exam_review"),
    path("exam/result/", exams.exam_result, name="exam_result"),
    path("admissions/", admissions.guidance, name="admissions_guidance"),
    path("admissions/apply/", admissions.apply, name="apply"),
    path("admissions/status/", admissions.status, name="application_status"),
    path("certificates/", certificates.claim, name="certificate_claim"),
    path("certificates/verify/", certificates.verify, name="certificate_verify"),
    path("certificates/<uuid:cert_id>/", certificates.certificate, name="certificate"),
    path("staff/sittings/", exam_staff.sittings, name="staff_sittings"),
    path("staff/sittings/<uuid:sitting_id>/", exam_staff.sitting_detail, name="staff_sitting"),
    path("staff/marking/", exam_staff.marking, name="staff_marking"),
    path("staff/applications/", admissions.staff_applications, name="staff_applications"),
    path(
        "staff/applications/<uuid:application_id>/document/",
        admissions.staff_document,
        name="staff_application_document",
    ),
    path(
        "staff/applications/<uuid:application_id>/decide/",
        admissions.staff_decide,
        name="staff_application_decide",
    ),
    path(
        "staff/certificates/<uuid:cert_id>/revoke/",
        certificates.revoke,
        name="certificate_revoke",
    ),
]
