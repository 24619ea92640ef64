"""Routes of the REITs API under ``/api/v1/reits/``."""

from django.urls import path

from . import api

urlpatterns = [
    path("reits/", api.ReitsListView.as_view(), name="reits"),
    path("reits/export.xlsx", api.ReitsExportView.as_view(), name="reits-export"),
    path("reits/<str:pk>/", api.ReitsDetailView.as_view(), name="reits-entry"),
    path("reits/<str:pk>/move/", api.ReitsMoveView.as_view(), name="reits-move"),
]
