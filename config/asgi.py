"""The ASGI entry point: pages over HTTP and rooms over WebSockets (/ws/rooms/<room>/).

Production runs it as its own process next to gunicorn, which keeps serving the pages, with the
command line in deploy/topology.py (`make asgi`). `make run` serves pages and rooms through it,
in one process.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Loads the apps before anything below imports a model.
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.urls import websocket_urlpatterns  # noqa: E402
from operations.asgi import CountedWebSockets  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # The origin check stops another site's page from opening a socket with our cookie.
        "websocket": CountedWebSockets(
            AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns())))
        ),
    }
)
