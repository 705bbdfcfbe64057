from django.contrib import admin

from collaboration.models import ChatMessage, Room, RoomMember
from collaboration.services import moderate_messages
from core.admin_lists import EstimatedCountPaginator


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
    list_filter = ("created_at",)
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    @admin.display(description="message")
    def short_body(self, message):
        return message.body[:80]

    # Moderation shows at once, on the polling pages and on every open socket.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            moderate_messages(edited=[obj])

    def delete_model(self, request, obj):
        moderate_messages(removed=ChatMessage.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        moderate_messages(removed=queryset)
