from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.forms import AdminLoginForm
from accounts.levels import LEVEL_THRESHOLDS
from accounts.models import User
from accounts.services import soft_delete_user
from core.admin_lists import EstimatedCountPaginator

# The admin's login page is throttled like the site's (accounts/throttles.py).
admin.site.login_form = AdminLoginForm


class LevelListFilter(admin.SimpleListFilter):
    """Level bands from the XP table: the stock filter would ask PostgreSQL for every distinct
    level, a scan of the whole users table on each changelist view."""

    title = "level"
    parameter_name = "level_band"
    BANDS = {
        "1": (1, 1),
        "2-4": (2, 4),
        "5-9": (5, 9),
        f"{len(LEVEL_THRESHOLDS)}+": (len(LEVEL_THRESHOLDS), None),
    }

    def lookups(self, request, model_admin):
        return [(band, f"level {band}") for band in self.BANDS]

    def queryset(self, request, queryset):
        if self.value() not in self.BANDS:
            return queryset
        low, high = self.BANDS[self.value()]
        queryset = queryset.filter(level__gte=low)
        return queryset if high is None else queryset.filter(level__lte=high)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "xp",
        "level",
        "last_active_at",
        "date_joined",
        "deleted_at",
    )
    list_filter = (
        "is_staff",
        "is_active",
        LevelListFilter,
        ("deleted_at", admin.EmptyFieldListFilter),
    )
    # Prefix searches, answered by the UPPER(...) text_pattern_ops indexes (accounts.models).
    search_fields = ("^username", "^email")
    ordering = ("-date_joined",)
    # Sorting by a column without an index would sort every learner for one page.
    sortable_by = ("username", "date_joined")
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Learning", {"fields": ("avatar", "xp", "level", "last_active_at", "deleted_at")}),
    )
    # Deleting goes through accounts.services.soft_delete_user (the action below), which also
    # deactivates the account; a date typed into the form would leave it able to sign in.
    readonly_fields = ("last_active_at", "deleted_at")
    actions = ["soft_delete"]

    @admin.action(description="Soft delete the selected learners", permissions=["change"])
    def soft_delete(self, request, queryset):
        deleted = 0
        for user in queryset.filter(deleted_at__isnull=True):
            soft_delete_user(user=user)
            deleted += 1
        self.message_user(
            request,
            f"Soft deleted {deleted} learner{'s' * (deleted != 1)}.",
            messages.SUCCESS,
        )
