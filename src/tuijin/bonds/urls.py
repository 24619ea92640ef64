from django.urls import path

from . import views

app_name = "bonds"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.xlsx", views.export, name="export"),
    path("quotas/<int:pk>/", views.quota_detail, name="quota"),
    path("ledger/", views.ledger_upload, name="ledger"),
]
