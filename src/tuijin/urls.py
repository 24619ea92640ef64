from django.urls import include, path

from tuijin.orgs.urls import auth_urlpatterns
from tuijin.web.schema import SchemaView, SwaggerView

urlpatterns = [
    *auth_urlpatterns,
    path("", include("tuijin.cockpit.urls")),
    path("", include("tuijin.web.urls")),
    path("", include("tuijin.orgs.urls")),
    path("projects/", include("tuijin.projects.urls")),
    path("reporting/", include("tuijin.reporting.urls")),
    path("jobs/", include("tuijin.jobs.urls")),
    path("stats/", include("tuijin.stats.urls")),
    path("audit/", include("tuijin.audit.urls")),
    path("api/v1/", include("tuijin.api_urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
urlpatterns.append(path("bulletins/", include("tuijin.bulletins.urls")))
urlpatterns.append(path("assessment/", include("tuijin.assessment.urls")))
urlpatterns.append(path("problems/", include("tuijin.problems.urls")))
urlpatterns.append(path("supervision/", include("tuijin.supervision.urls")))
urlpatterns.append(path("notifications/", include("tuijin.notifications.urls")))
urlpatterns.append(path("bonds/", include("tuijin.bonds.urls")))
urlpatterns.append(path("promotion/", include("tuijin.promotion.urls")))
urlpatterns.append(path("incentives/", include("tuijin.incentives.urls")))
urlpatterns.append(path("reits/", include("tuijin.reits.urls")))
urlpatterns.append(path("programmes/", include("tuijin.programmes.urls")))
handler400 = "tuijin.web.errors.bad_request"
handler403 = "tuijin.web.errors.permission_denied"
handler404 = "tuijin.web.errors.page_not_found"
handler500 = "tuijin.web.errors.server_error"
