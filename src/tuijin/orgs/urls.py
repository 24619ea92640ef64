from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("orgs/", views.org_list, name="list"),
]

# Log-in and log-out live outside the namespace (settings.LOGIN_URL = "login").
auth_urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="orgs/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
