"""Signing stories and linking each to the stories of other digests that tell the same event.

Runs inside the caller's transaction (an ingestion's, a correction's, a find_duplicates batch's),
so a story is stored with its signature and links or not at all. Candidates come from the
indexed band keys (digest.models.StoryBand), never from reading the archive, so any number of
writer processes, on SQLite or PostgreSQL, see every committed story and nothing else.
"""
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Q

from digest.bulk_insert import MAX_PARAMETERS, insert_rows
from digest.models import NearDuplicate, Story, StoryBand, StorySignature

from .signature import NUM_PERM, THRESHOLD, VERSION, from_bytes, sign

# The candidates per story, by how many band keys they share, whose signatures are compared:
# a true duplicate shares several keys, a story that merely uses the same common words one.
MAX_CANDIDATES = 200
# A text found in more digests than this is the newsletter's recurring text (a standing note,
# a weekly template), not an event told again: such a story is linked to none.
RECURRING_COPIES = 10
# A band key shared by more stories than this is made of the archive's common words (or of
# recurring text): it tells nothing about an event and would make every story a candidate.
HOT_KEY_STORIES = 50
STORIES_PER_QUERY = 500


@dataclass
class LinkReport:
    """What one call found: stories signed, too short to tell, recurring text, and the pairs linked."""

    signed: int = 0
    too_short: int = 0
    recurring: list[int] = field(default_factory=list)
    pairs: list[tuple[int, int, float]] = field(default_factory=list)  # (lower id, higher id, similarity)

    def add(self, other: "LinkReport") -> None:
        self.signed += other.signed
        self.too_short += other.too_short
        self.recurring += other.recurring
        self.pairs += other.pairs


def link_near_duplicates(stories, *, new_stories=False, signed=None) -> LinkReport:
    """Sign these stories (anything they had is replaced) and link each to the near-duplicates
    it has in other digests, among the stored stories and among these. `new_stories`: created
    in this transaction (an ingestion's), so they have nothing to replace. `signed`: the stories'
    `sign(headline, body)`, in order, when computed beforehand (by an ingest worker)."""
    stories = list(stories)
    if signed is None:
        signed = [sign(story.headline, story.body) for story in stories]
    signed = {story.pk: found for story, found in zip(stories, signed, strict=True) if story.pk is not None}
    if not new_stories:
        forget(signed)
    as_stored = StorySignature._meta.get_field("minhash").get_db_prep_save
    insert_rows(StorySignature, ("story", "minhash", "version"),
                [(pk, as_stored(found.minhash, connection), VERSION) for pk, found in signed.items()])
    insert_rows(StoryBand, ("story", "key"), [(pk, key) for pk, found in signed.items() for key in found.keys])
    minhashes = {pk: from_bytes(found.minhash) for pk, found in signed.items() if found.minhash is not None}
    matches = defaultdict(dict)
    for pk, (others, values) in _candidates(list(minhashes)).items():
        # One comparison of the story's values with every candidate's at once: the share of equal
        # values is the estimated similarity, as signature.similarity computes it for one pair.
        equal = np.count_nonzero(values == minhashes[pk], axis=1)
        for other, count in zip(others, equal.tolist()):
            if count / NUM_PERM >= THRESHOLD:
                matches[pk][other] = count / NUM_PERM
    report = LinkReport(signed=len(minhashes), too_short=len(signed) - len(minhashes))
    pairs = {}
    for pk, found in matches.items():
        if len(found) > RECURRING_COPIES:
            report.recurring.append(pk)
            continue
        for other, score in found.items():
            if pk in minhashes and other in minhashes and len(matches.get(other, ())) > RECURRING_COPIES:
                continue
            pairs[min(pk, other), max(pk, other)] = round(score, 4)
    _save_pairs(pairs)
    report.pairs = [(a, b, score) for (a, b), score in sorted(pairs.items())]
    return report


def forget(story_ids) -> None:
    """Remove these stories' signatures, band keys and links (both ways), before signing them again."""
    story_ids = list(story_ids)
    StorySignature.objects.filter(story_id__in=story_ids).delete()
    StoryBand.objects.filter(story_id__in=story_ids).delete()
    NearDuplicate.objects.filter(Q(story_id__in=story_ids) | Q(other_id__in=story_ids)).delete()


def _candidates(story_ids) -> dict[int, tuple[list[int], np.ndarray]]:
    """Per story (already signed and banded in this transaction), its candidates that have a
    signature of this VERSION: their ids and their values, one row each.

    One query per STORIES_PER_QUERY stories, in plain SQL: it ranks the stories of other digests
    that share a band key with each story (hot keys left out) by the number of keys they share,
    keeps the MAX_CANDIDATES first and reads their signatures as raw bytes. Doing that in the
    database spares the writer the thousands of (key, story) rows, the counting and a model
    instance per signature, which cost more than the comparisons. Ties in the ranking go to the
    story met first when reading the keys in ascending order, then the lower id, as before."""
    quote = connection.ops.quote_name
    band, story, signature = (quote(model._meta.db_table) for model in (StoryBand, Story, StorySignature))
    key, story_id, digest_id, pk = (quote(name) for name in ("key", "story_id", "digest_id", "id"))
    found = {}
    with connection.cursor() as cursor:
        for start in range(0, len(story_ids), STORIES_PER_QUERY):
            chunk = story_ids[start:start + STORIES_PER_QUERY]
            cursor.execute(
                f"SELECT ranked.mine, ranked.other, sig.{quote('minhash')} FROM ("
                f" SELECT m.{story_id} AS mine, b.{story_id} AS other, ROW_NUMBER() OVER ("
                f"  PARTITION BY m.{story_id} ORDER BY COUNT(*) DESC, MIN(m.{key}), b.{story_id}) AS place"
                f" FROM {band} m"
                f" INNER JOIN {story} ms ON ms.{pk} = m.{story_id}"
                f" INNER JOIN {band} b ON b.{key} = m.{key}"
                f" INNER JOIN {story} s ON s.{pk} = b.{story_id}"
                f" WHERE m.{story_id} IN ({', '.join(['%s'] * len(chunk))})"
                f"  AND b.{story_id} <> m.{story_id} AND s.{digest_id} <> ms.{digest_id}"
                # Counting stops past HOT_KEY_STORIES: a very common key costs no more than a rare one.
                f"  AND (SELECT COUNT(*) FROM (SELECT 1 FROM {band} h WHERE h.{key} = m.{key} LIMIT %s) counted) <= %s"
                f" GROUP BY m.{story_id}, b.{story_id}"
                f") ranked INNER JOIN {signature} sig ON sig.{story_id} = ranked.other"
                f" WHERE ranked.place <= %s AND sig.{quote('version')} = %s AND sig.{quote('minhash')} IS NOT NULL"
                f" ORDER BY ranked.mine, ranked.place",
                [*chunk, HOT_KEY_STORIES + 1, HOT_KEY_STORIES, MAX_CANDIDATES, VERSION],
            )
            rows = defaultdict(list)
            for mine, other, minhash in cursor.fetchall():
                rows[mine].append((other, minhash))
            for mine, others in rows.items():
                values = np.frombuffer(b"".join(minhash for _, minhash in others), dtype="<u4").reshape(-1, NUM_PERM)
                found[mine] = ([other for other, _ in others], values)
    return found


def _save_pairs(pairs) -> None:
    NearDuplicate.objects.bulk_create(
        (NearDuplicate(story_id=story, other_id=other, similarity=score)
         for (a, b), score in pairs.items() for story, other in ((a, b), (b, a))),
        batch_size=MAX_PARAMETERS // 3,
        ignore_conflicts=True,
    )


def link_if_enabled(stories, signed=None) -> None:
    """The ingestion's hook: link new stories as they are stored, unless a bulk load turned it off.
    `signed`: as for link_near_duplicates (None when the worker did not sign them)."""
    if settings.NEAR_DUPLICATES_AT_INGEST:
        link_near_duplicates(stories, new_stories=True, signed=signed)
