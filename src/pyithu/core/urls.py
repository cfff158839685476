from django.urls import path

from pyithu.core import views

app_name = "core"
urlpatterns = [
    path("language/<str:code>/", views.switch_language, name="language"),
    path("font/", views.toggle_font, name="font"),
    path("health", views.health, name="health"),
    path("mirrors/", views.mirrors, name="mirrors"),
]
