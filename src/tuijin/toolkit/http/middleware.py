"""Page-level middleware: application errors as pages, the Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuijin.toolkit.errors import ApplicationError, PermissionRefused
from tuijin.toolkit.signals import access_denied

#: No inline script or style anywhere (ASVS V14.4.3); everything is served from our own static files.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "TUIJIN_CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


def record_denied(request: HttpRequest, message: str) -> None:
    """An access refused by the application is a security event (等保 安全审计): the audit app,
    subscribed to :data:`~tuijin.toolkit.signals.access_denied`, records it."""
    access_denied.send(sender=None, request=request, message=message)


JOB_QUEUE_DOWN = "后台任务服务暂时不可用（任务队列无法连接），请稍后再试；查看类页面不受影响"


def is_job_queue_down(exception: Exception) -> bool:
    """The job queue (Redis) cannot be reached: the request that needed it fails clearly, others go on."""
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency
        return False
    return isinstance(exception, RedisConnectionError | RedisTimeoutError)


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_job_queue_down(exception):
            import logging

            logging.getLogger("tuijin.jobs").error("job queue unreachable: %s", exception)
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": JOB_QUEUE_DOWN, "code": "unavailable"}, status=503)
            return render(request, "web/error.html", {"error": ApplicationError(JOB_QUEUE_DOWN)}, status=503)
        if isinstance(exception, ApplicationError) and not request.path.startswith("/api/"):
            if isinstance(exception, PermissionRefused):
                record_denied(request, exception.message)
            return render(request, "web/error.html", {"error": exception}, status=exception.status_code)
        return None
