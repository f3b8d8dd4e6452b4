"""Folding near-duplicates: a page of hits where each story that tells the same event as a
higher-ranked hit of the page is shown under that hit ("N similar") instead of on its own.

Folding works on the page the engine returned, from the links digest.duplicates stored in the
database, so it is the same on every engine and needs no field in the index. The total, the
pages and the facet counts still count every matching story: a folded page shows fewer
entries, never other stories, and a page links to the same next page folded or not.
"""
from dataclasses import dataclass, field

from digest.duplicates.selectors import duplicates_among

from .results import Hit


@dataclass
class FoldedHit:
    hit: Hit
    similar: list[Hit] = field(default_factory=list)  # this page's hits that tell the same event, in rank order


def fold(hits: list[Hit]) -> list[FoldedHit]:
    """The hits in rank order, each near-duplicate of an earlier hit folded under that hit's entry."""
    links = duplicates_among(hit.id for hit in hits)
    entries: list[FoldedHit] = []
    entry_of: dict[int, FoldedHit] = {}
    for hit in hits:
        earlier = next((entry_of[other] for other in entry_of if other in links.get(hit.id, ())), None)
        if earlier is None:
            earlier = FoldedHit(hit)
            entries.append(earlier)
        else:
            earlier.similar.append(hit)
        entry_of[hit.id] = earlier
    return entries
