"""Links into search for pages of other apps: they name what to search for, search builds the link.

    {% load search_links %}
    <a href="{% entity_search_url "place" "Deir ez-Zor" %}">…</a>   the search for every story mentioning it
    {% entity_search_url "place" "Aleppo" "actor" "ISIS" %}           ... mentioning both
    {% more_like_this story %}                                     related stories, or nothing
"""
import logging

from django import template
from django.urls import reverse

from search import query
from search.facets import search_url
from search.params import default_sort
from search.results import FACETS, SearchParams

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def entity_search_url(kind: str, name: str, other_kind: str = "", other_name: str = "") -> str:
    """The search page for every story that mentions this place, actor or source (and the other one, if given)."""
    return entities_search_url((kind, name), *([(other_kind, other_name)] if other_kind else []))


def entities_search_url(*pairs: tuple[str, str]) -> str:
    """The search page for the stories that mention every (kind, name) given, newest first."""
    values = {}
    for kind, name in pairs:
        if kind not in FACETS:
            raise template.TemplateSyntaxError(f"{kind!r} is not a facet; use one of {', '.join(FACETS)}")
        if name not in values.setdefault(kind, []):
            values[kind].append(name)
    return search_url(reverse("search:search"), SearchParams(sort=default_sort(""), **values))


@register.inclusion_tag("search/related_stories.html")
def more_like_this(story, limit=5):
    """Stories like this one; a page that shows them still renders when the engine is down."""
    try:
        stories = query.more_like_this(story, limit=limit)
    except Exception:
        logger.exception("more-like-this failed for story %s", story.pk)
        stories = []
    return {"stories": stories}
