from django.urls import path

from pyithu.sms import views

app_name = "sms"
urlpatterns = [
    path("inbound/", views.inbound, name="inbound"),
    path("outbox/", views.outbox, name="outbox"),
]
