"""Saved searches: a person's named searches, each with a private Atom feed for a feed reader."""
from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils import timezone

from .params import parse_params

NAME_CHARS = 100


class SavedSearch(models.Model):
    """A search under a name. `query` is the search's canonical query string (search.params.query_string,
    first page); `last_opened_at` is when its owner last opened it from My searches: a story is new when
    its digest was stored (Digest.ingested_at) after that. `feed_token` is the secret in the feed's
    address, compared in constant time (search.saved)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=NAME_CHARS)
    query = models.TextField(blank=True, help_text="The search's query string, as on the search page's address.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_opened_at = models.DateTimeField(default=timezone.now)
    feed_token = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="saved_search_name_unique_per_user"),
        ]

    def __str__(self):
        return f"{self.name} ({self.user})"

    def params(self):
        return parse_params(QueryDict(self.query))
