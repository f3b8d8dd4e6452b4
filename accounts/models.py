"""API tokens: one per user, stored as a hash so a copy of the database gives no one access."""
from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A user's key for `Authorization: Token <key>`; deleting it revokes it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token")
    key_hash = models.CharField("SHA-256 of the key", max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False, help_text="The key's first characters, to recognise it.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["user__username"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.user} ({self.prefix}…)"
