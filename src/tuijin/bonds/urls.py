from django.urls import path

from . import views

app_name = "bonds"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.xlsx", views.export, name="export"),
    path("quotas/<int:pk>/", views.quota_detail, name="quota"),
    path("ledger/", views.ledger_upload, name="ledger"),
    path("quotas/<int:pk>/issue/", views.quota_issue, name="issue"),
    path("quotas/<int:pk>/spend/", views.quota_spend, name="spend"),
    path("applications/", views.application_submit, name="application-submit"),
    path("applications/<int:pk>/review/", views.application_review, name="application-review"),
    path("violations/", views.violation_record, name="violation"),
]
