from django.contrib.admin import site
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from operations import dashboard, exposition


@require_safe
@never_cache
def metrics(request):
    """Prometheus' text format, for the addresses or the token settings name (403 otherwise)."""
    if not exposition.allowed(request):
        return HttpResponse("Forbidden", status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(exposition.render(), content_type=CONTENT_TYPE_LATEST)


@require_safe
@never_cache
def performance(request):
    """The admin's Site performance page (staff only: the admin site wraps it). With
    ?panel=1, only the figures, which the page's script swaps in every few seconds."""
    context = {
        **site.each_context(request),
        "title": "Site performance",
        "subtitle": None,
        "board": dashboard.build(),
    }
    template = (
        "admin/performance_panel.html" if request.GET.get("panel") else "admin/performance.html"
    )
    return TemplateResponse(request, template, context)
