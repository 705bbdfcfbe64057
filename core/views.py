import hashlib

from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
