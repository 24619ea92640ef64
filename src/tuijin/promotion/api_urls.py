"""Routes of the promotion API, included under ``/api/v1/`` by ``tuijin.api_urls``."""

from django.urls import path

from . import api

urlpatterns = [
    path("promotion/deals/", api.DealListView.as_view(), name="promotion-deal-list"),
    path("promotion/deals/<str:pk>/", api.DealDetailView.as_view(), name="promotion-deal-detail"),
    path("promotion/deals/<str:pk>/move/", api.DealMoveView.as_view(), name="promotion-deal-move"),
    path("promotion/deals/<str:pk>/convert/", api.DealConvertView.as_view(), name="promotion-deal-convert"),
    path("promotion/weekly/", api.WeeklyView.as_view(), name="promotion-weekly"),
    path("promotion/stalled/", api.StalledView.as_view(), name="promotion-stalled"),
    path("promotion/tiers/", api.TiersView.as_view(), name="promotion-tiers"),
    path("promotion/assessment/", api.AssessmentView.as_view(), name="promotion-assessment"),
    path("promotion/events/", api.EventListView.as_view(), name="promotion-events"),
]
