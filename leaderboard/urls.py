from django.urls import path

from leaderboard import views

app_name = "leaderboard"

urlpatterns = [
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("api/leaderboard", views.api_leaderboard, name="api"),
    path("u/<str:username>/", views.profile, name="profile"),
]
