from django.urls import path

from pyithu.core import views

app_name = "core"
urlpatterns = [
    path("language/<str:code>/", views.switch_language, name="language"),
    path("font/", views.toggle_font, name="font"),
    path("health", views.health, name="health"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/waiting/", views.offline_waiting, name="offline_waiting"),
    path("mirrors/", views.mirrors, name="mirrors"),
]
