"""Any search as an Atom 1.0 feed of its 50 newest matches, newest first (django.contrib.syndication).

An entry is a story: its headline, its page, its digest's date, its snippet (HTML, as on the
search page) and one category per place, actor and source. A category's scheme is the search
page's address for that kind ("…/search/?place="), so scheme plus the %-encoded term is the
search narrowed to it. SavedSearchFeed serves a saved search to a feed reader that cannot log in.
"""
import datetime
from dataclasses import replace

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .params import query_string
from .query import hit_chunks, matching
from .results import FACETS, SearchParams

FEED_ENTRIES = 50
KIND_LABELS = {"place": "Place", "actor": "Actor", "source": "Source"}


class EntityCategoriesFeed(Atom1Feed):
    """Atom with categories that say their kind: term, label ("Place: Aleppo") and scheme."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "categories": ()})
        for kind, name in item["entities"]:
            handler.addQuickElement("category", "", {
                "term": name, "label": f"{KIND_LABELS[kind]}: {name}", "scheme": f"{item['search_url']}?{kind}=",
            })


def describe(params: SearchParams) -> str:
    """The search in words, for a feed's or a saved search's title: “Aleppo”, place Syria, not actor X, from…"""
    parts = [f"“{params.q}”"] if params.q else []
    for facet in FACETS:
        parts += [f"{facet} {value}" for value in getattr(params, facet)]
        parts += [f"not {facet} {value}" for value in getattr(params, "not_" + facet)]
    if params.date_from:
        parts.append(f"from {params.date_from.isoformat()}")
    if params.date_to:
        parts.append(f"to {params.date_to.isoformat()}")
    return ", ".join(parts) or "every story"


class SearchFeed(Feed):
    """The feed of the request's own search parameters."""

    feed_type = EntityCategoriesFeed

    def get_object(self, request, params: SearchParams):
        """The view parses and checks the parameters (search.views.request_params) and passes them in."""
        self.request = request
        return params

    def title(self, params):
        return f"News Digest Archive: {describe(params)}"

    def subtitle(self, params):
        return f"The {FEED_ENTRIES} newest stories that match {describe(params)}."

    def link(self, params):
        search = reverse("search:search")
        found = query_string(replace(params, sort="newest", page=1))
        return f"{search}?{found}" if found else search

    def feed_url(self, params):
        return self.request.build_absolute_uri()

    def items(self, params):
        newest = replace(params, sort="newest", page=1)
        return next(hit_chunks(matching(newest), FEED_ENTRIES), [])

    def item_title(self, hit):
        return hit.headline

    def item_link(self, hit):
        return hit.url

    def item_description(self, hit):
        return hit.snippet

    def item_pubdate(self, hit):
        return datetime.datetime.combine(hit.digest_date, datetime.time(), tzinfo=datetime.timezone.utc)

    def item_updateddate(self, hit):
        return self.item_pubdate(hit)  # Atom needs <updated>; a story is dated by its digest

    def item_extra_kwargs(self, hit):
        return {
            "entities": [(kind, name) for kind in FACETS for name in getattr(hit, kind + "s")],
            "search_url": self.request.build_absolute_uri(reverse("search:search")),
        }


class SavedSearchFeed(SearchFeed):
    """A saved search's feed at its secret address; the token is the only credential."""

    def get_object(self, request, saved):
        """The view has checked the token (search.saved.saved_search_for_feed)."""
        self.request, self.saved = request, saved
        return saved.params()

    def title(self, params):
        return f"News Digest Archive: {self.saved.name}"
