from django.urls import path

from pyithu.education import views as landing
from pyithu.education.admissions.views import admissions, recommenders
from pyithu.education.certificates import views as certificates
from pyithu.education.classes.views import classes as class_views
from pyithu.education.classes.views import teaching
from pyithu.education.exams.views import exam_staff, exams
from pyithu.education.schools.views import recognition, registry, setup

app_name = "education"
urlpatterns = [
    path("", landing.landing, name="landing"),
    # The registry of schools and universities (public), recognition and recommenders (staff).
    path("schools/", registry.schools, name="schools"),
    path("schools/<slug:slug>/", registry.school, name="school"),
    path("staff/schools/", recognition.schools, name="staff_schools"),
    path("staff/schools/apply/", recognition.apply, name="staff_school_apply"),
    path("staff/schools/<uuid:school_id>/", recognition.review, name="staff_school_review"),
    path("staff/recommenders/", recommenders.recommenders, name="staff_recommenders"),
    path(
        "staff/recommenders/<uuid:recommender_id>/",
        recommenders.recommender,
        name="staff_recommender",
    ),
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
    # Classes (students): my classes, a class, lessons, work, progress, transcripts.
    path("classes/", class_views.my_classes, name="my_classes"),
    path("classes/<uuid:section_id>/", class_views.section, name="class"),
    path("classes/lessons/<uuid:lesson_id>/", class_views.lesson, name="lesson"),
    path("classes/lessons/<uuid:lesson_id>/file/", class_views.lesson_file, name="lesson_file"),
    path("classes/work/<uuid:assignment_id>/", class_views.assignment, name="assignment"),
    path(
        "classes/submissions/<uuid:submission_id>/file/",
        class_views.submission_file,
        name="submission_file",
    ),
    path("classes/progress/", class_views.progress, name="progress"),
    path(
        "classes/programmes/<uuid:programme_id>/transcript/",
        class_views.transcript_issue,
        name="transcript_issue",
    ),
    path("classes/transcripts/<uuid:cert_id>/", class_views.transcript, name="transcript"),
    # Classes (teachers).
    path("staff/classes/", teaching.my_sections, name="teach_sections"),
    path("staff/classes/<uuid:section_id>/", teaching.section, name="teach_section"),
    path(
        "staff/classes/<uuid:section_id>/attendance/",
        teaching.attendance,
        name="teach_attendance",
    ),
    path("staff/classes/<uuid:section_id>/grades/", teaching.grade_sheet, name="teach_grades"),
    path("staff/classes/marking/", teaching.marking, name="teach_marking"),
    # Setting up classes and exams (staff).
    path("staff/courses/", setup.courses, name="setup_courses"),
    path("staff/banks/", setup.banks, name="setup_banks"),
    path("staff/banks/<uuid:bank_id>/", setup.bank, name="setup_bank"),
    path("staff/papers/<uuid:paper_id>/", setup.paper, name="setup_paper"),
]
