"""Pages of the problem ledger, mounted at ``/problems/``."""

from django.urls import path

from . import views

app_name = "problems"

urlpatterns = [
    path("", views.problem_list, name="list"),
    path("new/", views.problem_new, name="new"),
    path("stats/", views.problem_stats, name="stats"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/act/", views.problem_act, name="act"),
    path("<int:pk>/comment/", views.problem_comment, name="comment"),
    path("<int:pk>/reroute/", views.problem_reroute, name="reroute"),
    path("<int:pk>/attach/", views.problem_attach, name="attach"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
