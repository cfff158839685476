from django.urls import path

from pyithu.portal.views import catalogue, feedback, reach, surveys

app_name = "portal"
urlpatterns = [
    path("", catalogue.home, name="home"),
    path("ministries/<slug:slug>/", catalogue.ministry, name="ministry"),
    path("services/<slug:slug>/", catalogue.service, name="service"),
    path("search/", catalogue.search, name="search"),
    path("privacy/", catalogue.privacy, name="privacy"),
    # Surveys
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<slug:slug>/", surveys.survey_answer, name="survey"),
    path("surveys/<slug:slug>/thanks/", surveys.survey_thanks, name="survey_thanks"),
    path("staff/surveys/", surveys.staff_surveys, name="staff_surveys"),
    path("staff/surveys/<slug:slug>/", surveys.staff_survey, name="staff_survey"),
    path("staff/surveys/<slug:slug>/results.csv", surveys.staff_survey_csv, name="survey_csv"),
    path("staff/surveys/<slug:slug>/codes/", surveys.staff_survey_codes, name="survey_codes"),
    path(
        "staff/surveys/<slug:slug>/<str:action>/",
        surveys.staff_survey_action,
        name="staff_survey_action",
    ),
    # Feedback
    path("feedback/follow/", feedback.feedback_follow, name="feedback_follow"),
    path("feedback/<slug:slug>/", feedback.feedback_form, name="feedback"),
    path("staff/feedback/", feedback.staff_feedback, name="staff_feedback"),
    path("staff/feedback/<uuid:pk>/", feedback.staff_feedback_thread, name="staff_feedback_thread"),
    path(
        "staff/feedback/<uuid:pk>/close/",
        feedback.staff_feedback_close,
        name="staff_feedback_close",
    ),
    # Reach and shutdowns
    path("reach/", reach.reach_all, name="reach"),
    path("reach/<slug:slug>/", reach.reach_service, name="reach_service"),
    path("staff/shutdowns/import/", reach.staff_shutdown_import, name="shutdown_import"),
]
