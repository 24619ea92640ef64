"""The REST API, mounted at ``/api/v1/`` (DESIGN §6): the same scoping and services as the pages."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tuijin.audit.api import AuditEntryViewSet
from tuijin.orgs.api import AccountViewSet, ApiTokenViewSet, OrgViewSet, TokenObtainView
from tuijin.projects.api import ProjectViewSet

app_name = "api"

router = SimpleRouter()
router.register("orgs", OrgViewSet, basename="org")
router.register("projects", ProjectViewSet, basename="project")
router.register("audit", AuditEntryViewSet, basename="audit-entry")
router.register("users", AccountViewSet, basename="user")
router.register("auth/tokens", ApiTokenViewSet, basename="api-token")

urlpatterns = [
    # POST username + password → {"token": …}; send it as `Authorization: Token …`.
    path("auth/token/", TokenObtainView.as_view(), name="auth-token"),
    *router.urls,
    path("", include("tuijin.reporting.api_urls")),
    path("", include("tuijin.stats.api_urls")),
]
urlpatterns.append(path("", include("tuijin.assessment.api_urls")))
urlpatterns.append(path("", include("tuijin.problems.api_urls")))
urlpatterns.append(path("", include("tuijin.supervision.api_urls")))
urlpatterns.append(path("", include("tuijin.notifications.api_urls")))
urlpatterns.append(path("", include("tuijin.bonds.api_urls")))
urlpatterns.append(path("", include("tuijin.promotion.api_urls")))
urlpatterns.append(path("", include("tuijin.incentives.api_urls")))
urlpatterns.append(path("", include("tuijin.reits.api_urls")))
urlpatterns.append(path("", include("tuijin.programmes.api_urls")))
