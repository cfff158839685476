from django.urls import path

from pyithu.education.views import exam_staff, exams

app_name = "education"
urlpatterns = [
    path("exam/", exams.exam_login, name="exam_login"),
    path("exam/q/<int:n>/", exams.exam_question, name="exam_question"),
    path("exam/review/", exams.exam_review, name="exam_review"),
    path("exam/result/", exams.exam_result, name="exam_result"),
    path("staff/sittings/", exam_staff.sittings, name="staff_sittings"),
    path("staff/sittings/<uuid:sitting_id>/", exam_staff.sitting_detail, name="staff_sitting"),
    path("staff/marking/", exam_staff.marking, name="staff_marking"),
]
