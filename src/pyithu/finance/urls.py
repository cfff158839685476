from django.urls import URLPattern, path

from pyithu.finance import views

app_name = "finance"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("open/", views.open_wallet, name="open_wallet"),
    path("send/", views.transfer, name="transfer"),
    path("send/done/", views.transfer_done, name="transfer_done"),
    path("statement/<str:currency>/", views.statement, name="statement"),
    path("statement/<str:currency>/csv/", views.statement_csv, name="statement_csv"),
    path("pay/", views.pay_request, name="pay"),
    path("books/", views.books, name="books"),
]
