from django.urls import path

from . import views

app_name = "promotion"

urlpatterns = [
    path("", views.deal_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("deals/new/", views.deal_create, name="create"),
    path("deals/<int:pk>/", views.deal_detail, name="detail"),
    path("deals/<int:pk>/move/", views.deal_move, name="move"),
    path("deals/<int:pk>/convert/", views.deal_convert, name="convert"),
    path("weekly/", views.weekly, name="weekly"),
    path("weekly.docx", views.weekly_download, {"fmt": "docx"}, name="weekly-docx"),
    path("weekly.xlsx", views.weekly_download, {"fmt": "xlsx"}, name="weekly-xlsx"),
    path("stalled/", views.stalled, name="stalled"),
]
