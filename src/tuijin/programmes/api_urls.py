"""Routes of the programmes API, included under ``/api/v1/`` by ``tuijin.api_urls``."""

from django.urls import path

from . import api

urlpatterns = [
    path("programmes/batches/", api.BatchFiguresView.as_view(), name="programmes-batches"),
    path("programmes/batches/new/", api.BatchCreateView.as_view(), name="programmes-batch-create"),
    path("programmes/batches/<str:number>/entries/", api.BatchEntriesView.as_view(), name="programmes-batch-entries"),
    path("programmes/funding/sources/", api.FundingWriteView.as_view(), name="programmes-funding-write"),
    path("programmes/approvals/overdue/", api.OverdueApprovalsView.as_view(), name="programmes-overdue"),
    path("programmes/statistics/missing/", api.MissingView.as_view(), name="programmes-missing"),
    path("programmes/statistics/import/", api.InclusionImportView.as_view(), name="programmes-inclusion-import"),
    path("programmes/funding/needs/", api.FinancingNeedsView.as_view(), name="programmes-financing-needs"),
    path("programmes/<str:programme>/projects/", api.DrillView.as_view(), name="programmes-drill"),
    path("programmes/<str:programme>/", api.FiguresView.as_view(), name="programmes-figures"),
    path("oc4ids/", api.Oc4idsView.as_view(), name="oc4ids"),
]
