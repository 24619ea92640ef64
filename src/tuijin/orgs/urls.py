from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("orgs/", views.org_list, name="list"),
    path("orgs/users/new/", views.account_new, name="account-new"),
    path("orgs/users/<int:pk>/", views.account_edit, name="account-edit"),
    path("orgs/users/<int:pk>/reset-password/", views.account_reset_password, name="account-reset-password"),
]

# Log-in, log-out and the account duties live outside the namespace (settings.LOGIN_URL = "login").
auth_urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="orgs/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.password_change, name="password-change"),
    path("account/otp/", views.otp_verify, name="otp-verify"),
]
