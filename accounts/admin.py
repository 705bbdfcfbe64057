from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.forms import AdminLoginForm
from accounts.models import User
from accounts.services import soft_delete_user

# The admin's login page is throttled like the site's (accounts/throttles.py).
admin.site.login_form = AdminLoginForm


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
    list_filter = ("is_staff", "is_active", "level", ("deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("username", "email")
    ordering = ("-date_joined",)
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
