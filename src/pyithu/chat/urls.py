from django.urls import path

from pyithu.chat import views

app_name = "chat"
urlpatterns = [
    path("telegram/<str:secret>/", views.telegram_webhook, name="telegram_webhook"),
]
