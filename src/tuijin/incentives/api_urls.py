"""Routes of the incentives API under ``/api/v1/incentives/``."""

from django.urls import path

from . import api

urlpatterns = [
    path("incentives/quote/", api.QuoteView.as_view(), name="incentives-quote"),
    path("incentives/scan/", api.ScanView.as_view(), name="incentives-scan"),
    path("incentives/proposals/", api.ProposalListView.as_view(), name="incentives-proposals"),
    path("incentives/proposals/<str:pk>/", api.ProposalDetailView.as_view(), name="incentives-proposal"),
    path("incentives/proposals/<str:pk>/confirm/", api.ProposalDecisionView.as_view(confirm=True),
         name="incentives-proposal-confirm"),
    path("incentives/proposals/<str:pk>/reject/", api.ProposalDecisionView.as_view(confirm=False),
         name="incentives-proposal-reject"),
    path("incentives/applications/", api.ApplicationListView.as_view(), name="incentives-applications"),
    path("incentives/applications/<str:pk>/", api.ApplicationDetailView.as_view(), name="incentives-application"),
    *[path(f"incentives/applications/<str:pk>/{name}/", api.ApplicationActionView.as_view(action_name=name),
           name=f"incentives-application-{name}") for name in ("review", "approve", "pay", "reject")],
    path("incentives/applications/<str:pk>/attachments/", api.AttachmentUploadView.as_view(),
         name="incentives-application-attachments"),
    path("incentives/budget/", api.BudgetView.as_view(), name="incentives-budget"),
]
