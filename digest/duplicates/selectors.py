"""Reads of the near-duplicate links for the story page and for folding search results."""
from collections import defaultdict

from django.db.models import Count

from digest.models import NearDuplicate


def also_in(story) -> list:
    """The stories of other digests that tell the same event as this one, oldest digest first,
    each with its digest (title and date) loaded: one query."""
    return [
        link.other for link in NearDuplicate.objects.filter(story=story)
        .select_related("other__digest")
        .only("other__id", "other__slug", "other__headline", "other__position",
              "other__digest__id", "other__digest__title", "other__digest__date")
        .order_by("other__digest__date", "other__digest_id", "other__position")
    ]


def duplicates_among(story_ids) -> dict[int, set[int]]:
    """For each of these stories, which of the others are its near-duplicates: one query."""
    story_ids = list(story_ids)
    found = defaultdict(set)
    rows = NearDuplicate.objects.filter(story_id__in=story_ids, other_id__in=story_ids).values_list("story_id", "other_id")
    for story, other in rows:
        found[story].add(other)
    return dict(found)


def duplicate_counts(story_ids) -> dict[int, int]:
    """How many near-duplicates each of these stories has in the whole archive: one query."""
    rows = (NearDuplicate.objects.filter(story_id__in=list(story_ids)).values("story_id")
            .annotate(count=Count("id")).values_list("story_id", "count"))
    return dict(rows)
