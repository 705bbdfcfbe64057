from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import readiness


@require_GET
@never_cache
def health(request):
    """Liveness: the process answers. Touches neither the database nor the cache."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def ready(request):
    """Readiness: PostgreSQL, Redis and migrations, with timings; 503 naming what fails."""
    report = readiness.report()
    return JsonResponse(report.as_json(), status=200 if report.ready else 503)
