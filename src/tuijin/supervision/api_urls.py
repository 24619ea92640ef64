"""``/api/v1/supervision/tasks/`` (included by ``tuijin.api_urls``)."""

from rest_framework.routers import SimpleRouter

from .api import TaskViewSet

router = SimpleRouter()
router.register("supervision/tasks", TaskViewSet, basename="supervision-task")
urlpatterns = router.urls
