"""The cockpit's pages, at the site's root (URL names without a namespace, as the page shell links them)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("cockpit/data.json", views.cockpit_data, name="cockpit-data"),
    path("cockpit/ranking.json", views.ranking_data, name="cockpit-ranking"),
]
