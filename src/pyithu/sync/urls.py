from django.urls import path

from pyithu.sync import views

app_name = "sync"
urlpatterns = [
    path("", views.status, name="status"),
    path("import/", views.import_waiting, name="import"),
]
