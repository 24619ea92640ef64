"""Routes of the official-statistics API, included under ``/api/v1/`` by ``tuijin.api_urls``.

``GET /api/v1/stats/`` (filters ``period``, ``year``, ``org``, ``indicator``),
``POST /api/v1/stats/import/`` (multipart), ``GET /api/v1/stats/coverage/?period=YYYY-MM``.
"""

from rest_framework.routers import SimpleRouter

from .api import OfficialStatViewSet

router = SimpleRouter()
router.register("stats", OfficialStatViewSet, basename="official-stat")

urlpatterns = router.urls
