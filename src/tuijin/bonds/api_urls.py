"""Routes of the special-bond API, included under ``/api/v1/`` by ``tuijin.api_urls``."""

from django.urls import path

from . import api

urlpatterns = [
    path("bonds/evaluation/", api.EvaluationView.as_view(), name="bond-evaluation"),
    path("bonds/batches/", api.BatchView.as_view(), name="bond-batches"),
    path("bonds/quotas/", api.QuotaListView.as_view(), name="bond-quota-list"),
    path("bonds/quotas/new/", api.QuotaCreateView.as_view(), name="bond-quota-create"),
    path("bonds/quotas/<str:pk>/", api.QuotaDetailView.as_view(), name="bond-quota-detail"),
    path("bonds/issuances/", api.IssuanceView.as_view(), name="bond-issuance"),
    path("bonds/applications/", api.ApplicationListView.as_view(), name="bond-application-list"),
    path("bonds/applications/<str:pk>/review/", api.ApplicationReviewView.as_view(), name="bond-application-review"),
    path("bonds/violations/", api.ViolationListView.as_view(), name="bond-violation-list"),
    path("bonds/ledger/import/", api.LedgerImportView.as_view(), name="bond-ledger-import"),
]
