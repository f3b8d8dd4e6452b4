"""Browsing pages: the digests by year and month, one digest, one story."""
import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from .duplicates.selectors import also_in
from .models import Digest, Story
from .moved import moved_story
from .selectors import archive_calendar, digests_in, entity_groups, neighbour_digests, neighbour_stories, story_entities

DIGESTS_PER_PAGE = 50


def digest_list(request):
    calendar = archive_calendar()
    try:
        year, month = _year_and_month(request.GET)
    except ValueError as error:
        return render(request, "digest/digest_list.html", {"calendar": calendar, "error": str(error)}, status=400)
    state = {name: value for name, value in (("year", year), ("month", month)) if value is not None}
    page = Paginator(digests_in(year, month), DIGESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "digest/digest_list.html",
        {
            "page": page,
            "calendar": calendar,
            "year": year,
            "month_start": datetime.date(year, month, 1) if month is not None else None,
            "selected_year": calendar.year(year) if year is not None else None,
            "page_query": urlencode(state) + "&" if state else "",
        },
    )


def _year_and_month(query) -> tuple[int | None, int | None]:
    """?year=2014 or ?year=2014&month=11 narrow the list; a ValueError says what is wrong with them."""
    year, month = query.get("year") or None, query.get("month") or None
    if month is not None and year is None:
        raise ValueError("A month needs its year, as in ?year=2014&month=11.")
    if year is not None and not _is_number(year, 1, 9999):
        raise ValueError(f"“{year[:20]}” is not a year.")
    if month is not None and not _is_number(month, 1, 12):
        raise ValueError(f"“{month[:20]}” is not a month; months go from 1 to 12.")
    return (int(year) if year else None), (int(month) if month else None)


def _is_number(text: str, low: int, high: int) -> bool:
    return len(text) <= 4 and text.isascii() and text.isdigit() and low <= int(text) <= high


def digest_detail(request, pk):
    digest = get_object_or_404(Digest.objects.defer("source_text"), pk=pk)
    stories = list(digest.stories.order_by("position"))
    groups = entity_groups(stories)
    previous, following = neighbour_digests(digest)
    return render(
        request,
        "digest/digest_detail.html",
        {
            "digest": digest,
            "stories": [(story, groups.get(story.pk, [])) for story in stories],
            "reads": list(digest.recommended_reads.order_by("position")),
            "previous": previous,
            "next": following,
            "default_newsletter": settings.DEFAULT_NEWSLETTER,
        },
    )


def story_detail(request, pk, slug=None):
    story = Story.objects.select_related("digest").defer("digest__source_text").filter(pk=pk).first()
    if story is None:
        moved = moved_story(pk)  # merged into another by a correction, or its digest replaced
        if moved is None:
            raise Http404("No such story.")
        return redirect(moved, permanent=True)
    if slug != story.slug:
        return redirect(story, permanent=True)
    return render(
        request,
        "digest/story_detail.html",
        {
            "story": story,
            "digest": story.digest,
            "entities": story_entities(story),
            "neighbours": neighbour_stories(story),
            "also_in": also_in(story),
        },
    )
