from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.index, name="index"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:number>/report.xlsx", views.batch_report, name="batch-report"),
    path("funding/needs.xlsx", views.financing_needs_export, name="financing-needs"),
    path("statistics/import/", views.inclusion_import, name="inclusion-import"),
    path("<slug:key>/projects/", views.projects, name="projects"),
    path("<slug:key>/", views.programme, name="programme"),
]
