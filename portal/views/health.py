"""Probes for the orchestrator and metrics for the operator's monitoring.

- ``/healthz``: liveness — the process answers; no database, cache or broker is touched.
- ``/readyz``: readiness — database, cache, broker (when Celery is not eager) and media
  storage, through ``django-health-check``; the answer names the checks, never data.
- ``/metrics``: Prometheus metrics (``django-prometheus``), only with the bearer token
  ``METRICS_TOKEN`` or from an address in ``METRICS_ALLOWED_IPS``; anyone else gets a 404.
"""

from __future__ import annotations

import dataclasses
import hmac

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from portal.security.axes import client_ip


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (skipped when tasks run eagerly in-process)."""

    def run(self) -> None:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return
        from portal.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=3)
        except Exception as exc:
            raise ServiceUnavailable("broker unreachable") from exc


@never_cache
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


class ReadinessView(HealthCheckView):
    """django-health-check's view, answering JSON (or text) instead of its HTML page, whose
    inline style the Content Security Policy would refuse anyway."""

    checks = (Database, Cache, Storage, Broker)

    def render_to_response(self, context, **response_kwargs):
        return self.render_to_response_json(response_kwargs.get("status", 200))


readyz = ReadinessView.as_view()


def metrics(request):
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    by_token = bool(token) and hmac.compare_digest(header, f"Bearer {token}")
    by_address = client_ip(request) in settings.METRICS_ALLOWED_IPS
    if not (by_token or by_address):
        raise Http404
    return ExportToDjangoView(request)
