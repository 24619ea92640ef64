"""``/api/v1/problems/`` (included by ``tuijin.api_urls``)."""

from rest_framework.routers import SimpleRouter

from .api import ProblemViewSet

router = SimpleRouter()
router.register("problems", ProblemViewSet, basename="problem")
urlpatterns = router.urls
