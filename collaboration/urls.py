from django.urls import path

from collaboration import views

app_name = "collaboration"

urlpatterns = [
    path("rooms/", views.rooms, name="rooms"),
    path("rooms/<slug:room>/", views.room_detail, name="room"),
    path("rooms/<slug:room>/messages/", views.room_messages, name="messages"),
    path("rooms/<slug:room>/messages/new/", views.room_post_message, name="post_message"),
    path("rooms/<slug:room>/join/", views.room_join, name="join"),
    path("rooms/<slug:room>/code/", views.room_save_code, name="save_code"),
    path("rooms/<slug:room>/compile/", views.room_compile, name="compile"),
]
