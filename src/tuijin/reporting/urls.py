from django.urls import path, register_converter

from . import views, year_views


class PeriodConverter:
    """``YYYY-MM``; the services check that it is a real month."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(PeriodConverter, "period")

app_name = "reporting"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("status.xlsx", views.overview_export, name="overview-export"),
    path("corrections/", views.corrections, name="corrections"),
    path("without-annual-plan/", year_views.without_annual_plan, name="without-annual-plan"),
    path("corrections/<int:pk>/decide/", views.correction_decide, name="correction-decide"),
    path("reports/<int:pk>/correction/", views.correction_new, name="correction-new"),
    path("<period:period>/<slug:unit>/", views.unit_period, name="unit-period"),
    path("<period:period>/<slug:unit>/template.xlsx", views.template_download, name="template"),
    path("<period:period>/<slug:unit>/upload/", views.upload, name="upload"),
    path("<period:period>/<slug:unit>/submit/", views.submit, name="submit"),
    path("<period:period>/<slug:unit>/approve/", views.approve, name="approve"),
    path("<period:period>/<slug:unit>/return/", views.return_period, name="return"),
    path("<period:period>/<slug:unit>/rows/<int:project_id>/", views.row, name="row"),
    path("<period:period>/<slug:unit>/rows/<int:project_id>/edit/", views.row_edit, name="row-edit"),
]
