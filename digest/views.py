"""Browsing pages: the list of digests, one digest, one story."""
import logging

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from .models import Digest, Story
from .selectors import story_entities

logger = logging.getLogger(__name__)


def digest_list(request):
    digests = Digest.objects.only("id", "date", "title", "newsletter")
    page = Paginator(digests, 50).get_page(request.GET.get("page"))
    return render(request, "digest/digest_list.html", {"page": page})


def digest_detail(request, pk):
    digest = get_object_or_404(Digest, pk=pk)
    return render(
        request,
        "digest/digest_detail.html",
        {
            "digest": digest,
            "stories": digest.stories.all(),
            "reads": digest.recommended_reads.all(),
            "default_newsletter": settings.DEFAULT_NEWSLETTER,
        },
    )


def story_detail(request, pk, slug=None):
    story = get_object_or_404(Story.objects.select_related("digest"), pk=pk)
    if slug != story.slug:
        return redirect(story, permanent=True)
    return render(
        request,
        "digest/story_detail.html",
        {
            "story": story,
            "digest": story.digest,
            "entities": story_entities(story),
            "more_like_this": _more_like_this(story),
        },
    )


def _more_like_this(story):
    """Related stories from the search engine; the story page still renders if the engine is down."""
    from search.query import more_like_this

    try:
        return more_like_this(story, limit=5)
    except Exception:
        logger.exception("more-like-this failed for story %s", story.pk)
        return []
