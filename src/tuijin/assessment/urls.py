"""Pages of monitoring and assessment, mounted at ``/assessment/``."""

from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("rankings/", views.rankings, name="rankings"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/record/", views.escalations_record, name="escalations-record"),
    path("escalations/<int:pk>/follow-up/", views.escalation_follow_up, name="escalation-follow-up"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/run/", views.evaluation_run, name="evaluation-run"),
    path("forecast/", views.forecast, name="forecast"),
    path("targets/", views.targets, name="targets"),
    path("targets/<slug:unit>/<slug:indicator>/", views.target_edit, name="target-edit"),
]
