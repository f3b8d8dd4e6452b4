"""Saving, opening, renaming and deleting searches, their feed tokens, and what is new in them.

"New since last opened": a story that matches the saved search now and whose digest was stored
(Digest.ingested_at) after the owner last opened the search from My searches. A digest's date does
not matter (a backfilled issue from 2014 brings new stories), and neither do corrections: a
re-split, a re-extraction or a --replace of a stored issue keeps its ingested_at, so it brings none.
"""
import secrets
import unicodedata
from dataclasses import replace

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.http import QueryDict
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accounts.roles import READ_PERMISSION
from digest.models import Story

from .contract import EngineUnavailable, QueryNotSearchable
from .export import CHUNK
from .models import NAME_CHARS, SavedSearch
from .params import parse_params, query_string
from .query import engine_answering, hit_chunks, matching
from .results import SearchError, SearchParams

TOKEN_BYTES = 32


class SavedSearchError(ValueError):
    """A save or rename that cannot be done; the message says why, and nothing was changed."""


def save_search(user, name: str, query: str) -> SavedSearch:
    """Save the search of `query` (a search page's query string) as `name`; the page number is dropped."""
    name = _checked_name(name)
    try:
        params = parse_params(QueryDict(query))
    except SearchError as error:
        raise SavedSearchError(f"This search cannot be saved: {error}") from None
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(user=user, name=name, query=query_string(replace(params, page=1)),
                                              feed_token=_new_token())
    except IntegrityError:
        raise SavedSearchError(_taken(name)) from None


def rename_search(saved: SavedSearch, name: str) -> None:
    name = _checked_name(name)
    try:
        with transaction.atomic():
            SavedSearch.objects.filter(pk=saved.pk).update(name=name)
    except IntegrityError:
        raise SavedSearchError(_taken(name)) from None
    saved.name = name


def open_search(saved: SavedSearch) -> None:
    """Its owner opens it: what is new is counted from now on."""
    saved.last_opened_at = timezone.now()
    saved.save(update_fields=["last_opened_at"])


def new_feed_token(saved: SavedSearch) -> None:
    """A new secret for the feed's address; the old address stops working."""
    saved.feed_token = _new_token()
    saved.save(update_fields=["feed_token"])


def saved_search_for_feed(pk: int, token: str) -> SavedSearch | None:
    """The saved search whose feed address this is, if its owner may still read the archive; else None."""
    saved = SavedSearch.objects.select_related("user").filter(pk=pk).first()
    if saved is None or not constant_time_compare(token, saved.feed_token):
        return None
    user = saved.user
    return saved if user.is_active and user.has_perm(READ_PERMISSION) else None


def new_story_count(saved: SavedSearch) -> int | None:
    """How many stories matching `saved` were stored since its owner last opened it; None when the
    search cannot be run now (the engine is down, or the saved query is no longer searchable)."""
    try:
        return _count_new(saved.params(), saved.last_opened_at)
    except (SearchError, QueryNotSearchable, EngineUnavailable):
        return None


def _count_new(params: SearchParams, since) -> int:
    new = Story.objects.filter(digest__ingested_at__gt=since)
    span = new.aggregate(first=Min("digest__date"), last=Max("digest__date"))
    if span["first"] is None:
        return 0
    low = max(span["first"], params.date_from or span["first"])
    high = min(span["last"], params.date_to or span["last"])
    if low > high:
        return 0
    # Only the days that have new stories are searched.
    sqs = matching(replace(params, date_from=low, date_to=high, sort="newest"))
    in_span = Story.objects.filter(digest__date__range=(low, high))
    if not in_span.filter(digest__ingested_at__lte=since).exists():
        with engine_answering():
            return sqs.count()  # every story of those days is new
    new_ids = set(in_span.filter(digest__ingested_at__gt=since).values_list("pk", flat=True))
    return sum(1 for chunk in hit_chunks(sqs, CHUNK) for hit in chunk if hit.id in new_ids)


def _checked_name(name: str) -> str:
    name = " ".join((name or "").split())
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise SavedSearchError("The name contains control characters.")
    if not name:
        raise SavedSearchError("Give the search a name.")
    if len(name) > NAME_CHARS:
        raise SavedSearchError(f"The name is {len(name):,} characters long; the limit is {NAME_CHARS}.")
    return name


def _taken(name: str) -> str:
    return f"You already have a search named “{name}”; choose another name."


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)
