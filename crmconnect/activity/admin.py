from django.contrib import admin

from .models import Activity, Notification, Task


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """The log is written by services only; here it can be read, never edited."""

    list_display = ["created_at", "actor", "event", "description", "client"]
    list_filter = ["event"]
    search_fields = ["description", "event"]
    list_select_related = ["actor", "client"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "message", "read_at"]
    list_select_related = ["recipient"]
    search_fields = ["message", "recipient__username"]
    raw_id_fields = ["recipient", "actor"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "assignee", "due_date", "done_at", "client"]
    list_select_related = ["assignee", "client"]
    search_fields = ["title"]
    raw_id_fields = ["assignee", "created_by", "client"]
    date_hierarchy = "due_date"
