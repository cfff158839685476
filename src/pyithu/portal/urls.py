from django.urls import path

from pyithu.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("ministries/<slug:slug>/", views.ministry, name="ministry"),
    path("services/<slug:slug>/", views.service, name="service"),
    path("search/", views.search, name="search"),
    path("privacy/", views.privacy, name="privacy"),
]
