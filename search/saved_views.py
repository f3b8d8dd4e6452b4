"""My searches: save the current search, list, open, rename and delete one's own, and their feeds.

Every view but the feed needs a logged-in user, even on a public archive, and finds only that
user's searches (another's answers 404). Changes are POSTs with CSRF; the feed is a GET at a
secret address that a feed reader polls without logging in.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .contract import ENGINE_UNAVAILABLE, EngineUnavailable
from .feeds import SavedSearchFeed, describe
from .models import SavedSearch
from .saved import (
    SavedSearchError, new_feed_token, new_story_count, open_search, rename_search, save_search, saved_search_for_feed,
)
from .results import SearchError


@login_required
@require_GET
def my_searches(request):
    searches = [
        {
            "saved": saved,
            "description": _description(saved),
            "new": new_story_count(saved),
            "feed_url": request.build_absolute_uri(
                reverse("search:saved-feed", args=[saved.pk, saved.feed_token])),
        }
        for saved in SavedSearch.objects.filter(user=request.user)
    ]
    return render(request, "search/my_searches.html", {"searches": searches})


@login_required
@require_POST
def save(request):
    query = request.POST.get("query", "")
    try:
        saved = save_search(request.user, request.POST.get("name", ""), query)
    except SavedSearchError as error:
        return render(request, "search/save_search.html",
                      {"error": str(error), "name": request.POST.get("name", "")[:200], "query": query,
                       "search_url": _search_url(query)}, status=400)
    messages.success(request, f"Saved “{saved.name}”.")
    return redirect("search:saved-list")


@login_required
@require_GET
def open_search_view(request, pk):
    saved = _own(request, pk)
    open_search(saved)
    return redirect(_search_url(saved.query))


@login_required
@require_POST
def rename(request, pk):
    saved = _own(request, pk)
    old = saved.name
    try:
        rename_search(saved, request.POST.get("name", ""))
    except SavedSearchError as error:
        messages.error(request, f"“{old}” was not renamed: {error}")
    else:
        messages.success(request, f"Renamed “{old}” to “{saved.name}”.")
    return redirect("search:saved-list")


@login_required
@require_POST
def delete(request, pk):
    saved = _own(request, pk)
    saved.delete()
    messages.success(request, f"Deleted “{saved.name}”.")
    return redirect("search:saved-list")


@login_required
@require_POST
def new_feed_link(request, pk):
    saved = _own(request, pk)
    new_feed_token(saved)
    messages.success(request, f"“{saved.name}” has a new feed address; the old one no longer works.")
    return redirect("search:saved-list")


@login_not_required
@require_GET
def saved_feed(request, pk, token):
    saved = saved_search_for_feed(pk, token)
    if saved is None:
        raise Http404("No such feed.")
    try:
        return SavedSearchFeed()(request, saved=saved)
    except SearchError as error:
        return HttpResponse(f"This saved search cannot be run: {error}", status=400,
                            content_type="text/plain; charset=utf-8")
    except EngineUnavailable:
        return HttpResponse(ENGINE_UNAVAILABLE, status=503, content_type="text/plain; charset=utf-8")


def _own(request, pk) -> SavedSearch:
    return get_object_or_404(SavedSearch, pk=pk, user=request.user)


def _search_url(query: str) -> str:
    return f"{reverse('search:search')}?{query}" if query else reverse("search:search")


def _description(saved) -> str:
    try:
        return describe(saved.params())
    except SearchError:
        return "a search that can no longer be run as saved"
