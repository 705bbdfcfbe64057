from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.forms import AdminLoginForm
from accounts.models import User

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
    readonly_fields = ("last_active_at",)
