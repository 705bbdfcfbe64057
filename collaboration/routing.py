from django.urls import path

from collaboration.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/rooms/<slug:room>/", RoomConsumer.as_asgi()),
]
