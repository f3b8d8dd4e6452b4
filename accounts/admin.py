"""API tokens in the admin: who has one, since when, last used; deleting one revokes it."""
from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__username", "prefix"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a key is shown once, by `manage.py create_api_token USERNAME`

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "Revoke" says what deleting a token means
        return actions

    @admin.action(permissions=["delete"], description="Revoke the selected API tokens")
    def revoke(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(request, f"Revoked {count} API token{'s' if count != 1 else ''}.")
