from django.apps import AppConfig


class LeaderboardConfig(AppConfig):
    name = "leaderboard"

    def ready(self):
        from leaderboard import personal, receivers, warming  # noqa: F401
