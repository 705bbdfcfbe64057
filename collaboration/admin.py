from django.contrib import admin

from collaboration import chat
from collaboration.models import ChatMessage, Room, RoomMember


class RoomMemberInline(admin.TabularInline):
    model = RoomMember
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("joined_at",)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    inlines = [RoomMemberInline]
    list_display = ("title", "slug", "owner", "lesson", "active", "updated_at")
    list_filter = ("active",)
    list_select_related = ("owner", "lesson")
    search_fields = ("title", "slug", "owner__username")
    autocomplete_fields = ("owner", "lesson")
    show_full_result_count = False


@admin.register(ChatMessage)
class ChatMessageAdmin(admin.ModelAdmin):
    list_display = ("room", "author", "short_body", "created_at")
    list_select_related = ("room", "author")
    search_fields = ("body", "author__username", "room__slug")
    autocomplete_fields = ("room", "author")
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description="message")
    def short_body(self, message):
        return message.body[:80]

    # Moderation shows at once: the rooms' shared chat lists are rendered again.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        chat.retire()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        chat.retire()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        chat.retire()
