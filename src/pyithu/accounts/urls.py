from django.urls import path

from pyithu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.totp, name="totp"),
    path("login/setup/", views.totp_enrol, name="totp_enrol"),
    path("logout/", views.logout_view, name="logout"),
    path("recover/", views.recover, name="recover"),
    path("recovery-codes/", views.new_recovery_codes, name="recovery_codes"),
    path("contact/", views.contact, name="contact"),
    path("passphrase/", views.change_passphrase, name="passphrase"),
    path("delete/", views.delete_account, name="delete"),
]
