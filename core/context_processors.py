from django.conf import settings


def assets(request):
    """CDN_URL, for the pages' preconnect hint: the browser opens that connection early."""
    return {"CDN_URL": settings.CDN_URL}
