from django.urls import path

from . import views

app_name = "bulletins"

urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("generate/", views.bulletin_generate, name="generate"),
    path("jobs/<uuid:pk>/", views.bulletin_job, name="job"),
    path("jobs/<uuid:pk>/status/", views.bulletin_job_status, name="job-status"),
    path("<int:pk>/<str:kind>/", views.bulletin_download, name="download"),
]
