import hashlib

from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import background, readiness, stats
from core.offline import service_worker_script, static_prefix_for


@require_safe
@never_cache
def health(request):
    """Liveness: the process answers. Touches neither the database nor the cache."""
    return JsonResponse({"status": "ok"})


@require_safe
def service_worker(request):
    """The service worker, at the site root so that it may control every page.

    `no-cache`: the browser asks again on each check (304 while unchanged), so a deploy reaches
    every learner on their next page load.
    """
    script = service_worker_script(static_prefix=static_prefix_for(request))
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["ETag"] = quote_etag(hashlib.sha256(script.encode()).hexdigest()[:32])
    return get_conditional_response(request, etag=response["ETag"], response=response)


@require_safe
@never_cache
def ready(request):
    """Readiness: PostgreSQL, Redis and migrations, with timings; 503 naming what fails, 200
    "degraded" naming what the site serves without (Redis). The cache's hit rate per group rides
    along for operators (it never decides readiness)."""
    report = readiness.report()
    body = report.as_json()
    body["cache_hit_rates"] = cache_hit_rates()
    body["background_jobs"] = background.status()  # never decides readiness
    return JsonResponse(body, status=200 if report.ready else 503)


def cache_hit_rates():
    try:
        return stats.cache_report()
    except Exception:  # counters are best effort; readiness must answer regardless
        return None
