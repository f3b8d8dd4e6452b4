"""Saved searches in the admin: whose, what, when last opened. The feed token stays out of sight."""
from django.contrib import admin

from .models import SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "query", "created_at", "last_opened_at"]
    list_filter = ["created_at"]
    search_fields = ["name", "user__username", "query"]
    fields = ["user", "name", "query", "created_at", "last_opened_at"]
    readonly_fields = ["user", "created_at", "last_opened_at"]

    def has_add_permission(self, request):
        return False  # people save searches from the search page
