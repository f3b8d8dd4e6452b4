"""Signing stories and linking each to the stories of other digests that tell the same event.

Runs inside the caller's transaction (an ingestion's, a correction's, a find_duplicates batch's),
so a story is stored with its signature and links or not at all. Candidates come from the
indexed band keys (digest.models.StoryBand), never from reading the archive, so any number of
writer processes, on SQLite or PostgreSQL, see every committed story and nothing else.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import BinaryField, Q

from digest.models import NearDuplicate, Story, StoryBand, StorySignature

from .signature import THRESHOLD, VERSION, band_keys, from_bytes, similarity, story_signature, to_bytes

# The candidates per story, by how many band keys they share, whose signatures are compared:
# a true duplicate shares several keys, a story that merely uses the same common words one.
MAX_CANDIDATES = 200
# A text found in more digests than this is the newsletter's recurring text (a standing note,
# a weekly template), not an event told again: such a story is linked to none.
RECURRING_COPIES = 10
# A band key shared by more stories than this is made of the archive's common words (or of
# recurring text): it tells nothing about an event and would make every story a candidate.
HOT_KEY_STORIES = 50
# Parameters per statement, within every backend's limit (SQLite's 999 of old).
MAX_PARAMETERS = 999
KEYS_PER_QUERY = 500


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


def link_near_duplicates(stories, *, new_stories=False) -> LinkReport:
    """Sign these stories (anything they had is replaced) and link each to the near-duplicates
    it has in other digests, among the stored stories and among these. `new_stories`: created
    in this transaction (an ingestion's), so they have nothing to replace."""
    stories = [story for story in stories if story.pk is not None]
    if not new_stories:
        forget(story.pk for story in stories)
    signed = {story.pk: story_signature(story.headline, story.body) for story in stories}
    _insert(StorySignature, ("story", "minhash", "version"),
            [(pk, None if values is None else to_bytes(values), VERSION) for pk, values in signed.items()])
    signed = {pk: values for pk, values in signed.items() if values is not None}
    keys = {pk: band_keys(values) for pk, values in signed.items()}
    _insert(StoryBand, ("story", "key"), [(pk, key) for pk, story_keys in keys.items() for key in story_keys])
    digest_of = {story.pk: story.digest_id for story in stories}
    candidates = _candidates(keys, digest_of)
    others = _signatures({other for found in candidates.values() for other in found} - set(signed))
    others.update(signed)
    matches = defaultdict(dict)
    for pk, found in candidates.items():
        for other in found:
            score = similarity(signed[pk], others[other]) if other in others else 0.0
            if score >= THRESHOLD:
                matches[pk][other] = score
    report = LinkReport(signed=len(signed), too_short=len(stories) - len(signed))
    pairs = {}
    for pk, found in matches.items():
        if len(found) > RECURRING_COPIES:
            report.recurring.append(pk)
            continue
        for other, score in found.items():
            if pk in signed and other in signed and len(matches.get(other, ())) > RECURRING_COPIES:
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


def _candidates(keys, digest_of) -> dict[int, list[int]]:
    """Per signed story, the stories of other digests sharing a band key with it, most keys first."""
    by_key = defaultdict(list)
    for pk, story_keys in keys.items():
        for key in story_keys:
            by_key[key].append(pk)
    shared = defaultdict(Counter)
    all_keys = list(by_key)
    for start in range(0, len(all_keys), KEYS_PER_QUERY):
        for key, other, other_digest in _sharing(all_keys[start:start + KEYS_PER_QUERY]):
            for pk in by_key[key]:
                if other != pk and other_digest != digest_of[pk]:
                    shared[pk][other] += 1
    return {pk: [other for other, _ in counts.most_common(MAX_CANDIDATES)] for pk, counts in shared.items()}


def _sharing(keys):
    """(key, story id, digest id) of the stories holding these band keys, hot keys left out.
    Plain SQL: the ORM would prepare each of the thousands of keys of a batch one by one."""
    quote = connection.ops.quote_name
    band, story = quote(StoryBand._meta.db_table), quote(Story._meta.db_table)
    listed = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('key')} FROM {band} WHERE {quote('key')} IN ({listed}) "
                       f"GROUP BY {quote('key')} HAVING COUNT(*) > %s", [*keys, HOT_KEY_STORIES])
        hot = {row[0] for row in cursor.fetchall()}
        keys = [key for key in keys if key not in hot]
        if not keys:
            return []
        cursor.execute(
            f"SELECT b.{quote('key')}, b.{quote('story_id')}, s.{quote('digest_id')} FROM {band} b "
            f"INNER JOIN {story} s ON s.{quote('id')} = b.{quote('story_id')} "
            f"WHERE b.{quote('key')} IN ({', '.join(['%s'] * len(keys))})", keys)
        return cursor.fetchall()


def _signatures(story_ids) -> dict:
    story_ids, found = list(story_ids), {}
    for start in range(0, len(story_ids), KEYS_PER_QUERY):
        rows = StorySignature.objects.filter(
            story_id__in=story_ids[start:start + KEYS_PER_QUERY], minhash__isnull=False, version=VERSION,
        ).values_list("story_id", "minhash")
        found.update((pk, from_bytes(data)) for pk, data in rows)
    return found


def _insert(model, fields, rows) -> None:
    """Insert rows of plain values, as many a statement as MAX_PARAMETERS allows: what
    bulk_create writes, without making and preparing a model instance per row (a story's 42 band
    keys would cost more in that than in the database)."""
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in fields]
    columns = ", ".join(quote(field.column) for field in fields)
    # Only bytes need the database's own wrapping; ints and None go as they are.
    prepare = [field.get_db_prep_save if isinstance(field, BinaryField) else None for field in fields]
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = MAX_PARAMETERS // len(fields)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES " + ", ".join([placeholders] * len(chunk)),
                [to_db(value, connection) if to_db else value for row in chunk for value, to_db in zip(row, prepare)],
            )


def _save_pairs(pairs) -> None:
    NearDuplicate.objects.bulk_create(
        (NearDuplicate(story_id=story, other_id=other, similarity=score)
         for (a, b), score in pairs.items() for story, other in ((a, b), (b, a))),
        batch_size=MAX_PARAMETERS // 3,
        ignore_conflicts=True,
    )


def link_if_enabled(stories) -> None:
    """The ingestion's hook: link new stories as they are stored, unless a bulk load turned it off."""
    if settings.NEAR_DUPLICATES_AT_INGEST:
        link_near_duplicates(stories, new_stories=True)
