from django.contrib import admin

from core.admin_lists import EstimatedCountPaginator
from leaderboard.models import Achievement, UserAchievement


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "rule", "threshold", "xp_bonus")
    list_filter = ("rule",)
    search_fields = ("code", "name")


@admin.register(UserAchievement)
class UserAchievementAdmin(admin.ModelAdmin):
    list_display = ("user", "achievement", "earned_at")
    # A date filter, not a date_hierarchy: the hierarchy asks for every distinct month of
    # earned_at, a scan of the whole table on each view.
    list_filter = ("achievement", "earned_at")
    list_select_related = ("user", "achievement")
    # The learner's username prefix (the users' UPPER(username) index); the achievement is a
    # filter.
    search_fields = ("^user__username",)
    autocomplete_fields = ("user",)
    paginator = EstimatedCountPaginator
    show_full_result_count = False
