"""Routes of the monthly-reporting API, included under ``/api/v1/`` by ``tuijin.api_urls``.

``/api/v1/periods/``, ``/api/v1/periods/{period}/``, ``POST /api/v1/periods/{period}/units/{unit}/submit|approve|return/``,
``/api/v1/progress/`` (+ ``{id}/``), ``POST /api/v1/progress/import/``, ``/api/v1/jobs/{id}/``.
"""

from rest_framework.routers import SimpleRouter

from tuijin.jobs.api import JobViewSet

from .api import PeriodViewSet, ProgressViewSet

router = SimpleRouter()
router.register("periods", PeriodViewSet, basename="period")
router.register("progress", ProgressViewSet, basename="progress")
router.register("jobs", JobViewSet, basename="job")

urlpatterns = router.urls
