"""Pages of the REITs pipeline, mounted at ``/reits/``."""

from django.urls import path

from . import views

app_name = "reits"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_create, name="create"),
    path("export.xlsx", views.entry_export, name="export"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/edit/", views.entry_update, name="update"),
    path("<int:pk>/move/", views.entry_move, name="move"),
]
