"""Pages of supervision and the weekly meeting, mounted at ``/supervision/``."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("new/", views.task_new, name="new"),
    path("sync/", views.tasks_sync, name="sync"),
    path("meeting/", views.meeting, name="meeting"),
    path("meeting/decision/", views.meeting_decision, name="meeting-decision"),
    path("meeting/<str:week>.docx", views.meeting_docx, name="meeting-docx"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/follow-up/", views.task_follow_up, name="follow-up"),
    path("<int:pk>/close/", views.task_close, name="close"),
    path("<int:pk>/extend/", views.task_extend, name="extend"),
    path("<int:pk>/evidence/", views.evidence_download, name="evidence"),
]
