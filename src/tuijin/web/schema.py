"""The OpenAPI schema and its docs: for signed-in users only (ASVS V14.3: no needless disclosure).

The docs page is drf-spectacular's split view: its script is a static file, not inline (CSP).
Test settings set ``TUIJIN_SCHEMA_PUBLIC`` so that the schemathesis suites can load the schema at
collection time, before any user exists; tests/security checks the production behaviour.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated


class SignedIn(BasePermission):
    def has_permission(self, request, view) -> bool:
        if getattr(settings, "TUIJIN_SCHEMA_PUBLIC", False):
            return AllowAny().has_permission(request, view)
        return IsAuthenticated().has_permission(request, view)


class SchemaView(SpectacularAPIView):
    access_policy = "signed_in"
    permission_classes = [SignedIn]


class SwaggerView(SpectacularSwaggerSplitView):
    access_policy = "signed_in"
    permission_classes = [SignedIn]
