from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.views import health, ready, service_worker
from courses.views import home
from operations.views import metrics


def websocket_urlpatterns():
    """The apps' WebSocket routes, mounted here like their pages; config/asgi.py serves them.
    Imported when called, so the WSGI processes never load the consumers."""
    from collaboration.routing import websocket_urlpatterns as rooms

    return rooms


urlpatterns = [
    path("", home, name="home"),
    path("health", health, name="health"),
    path("sw.js", service_worker, name="service_worker"),
    path("ready", ready, name="ready"),
    path("metrics", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    # By traffic: Django tries these in turn, and each one passed raises and catches a miss.
    path("", include("courses.urls")),
    path("", include("leaderboard.urls")),
    path("", include("collaboration.urls")),
    path("", include("compiler.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
if settings.DEBUG_TOOLBAR:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
