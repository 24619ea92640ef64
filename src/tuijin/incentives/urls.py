"""Pages of incentives, mounted at ``/incentives/``."""

from django.urls import path

from . import views

app_name = "incentives"

urlpatterns = [
    path("", views.proposals, name="proposals"),
    path("scan/", views.scan, name="scan"),
    path("proposals/<int:pk>/decide/", views.decide, name="decide"),
    path("calculator/", views.calculator, name="calculator"),
    path("applications/", views.applications, name="applications"),
    path("applications/new/", views.application_new, name="application-new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/<slug:action>/", views.application_action, name="application-action"),
    path("applications/<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("budget/", views.budget, name="budget"),
]
