from django.contrib import admin

from leaderboard.models import Achievement, UserAchievement


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "rule", "threshold", "xp_bonus")
    list_filter = ("rule",)
    search_fields = ("code", "name")


@admin.register(UserAchievement)
class UserAchievementAdmin(admin.ModelAdmin):
    list_display = ("user", "achievement", "earned_at")
    list_filter = ("achievement",)
    list_select_related = ("user", "achievement")
    search_fields = ("user__username", "achievement__code")
    autocomplete_fields = ("user",)
    date_hierarchy = "earned_at"
    show_full_result_count = False
