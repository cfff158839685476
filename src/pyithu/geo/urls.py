from django.urls import path

from pyithu.geo import views

app_name = "geo"
urlpatterns = [
    path("townships/", views.township_list, name="townships"),
]
