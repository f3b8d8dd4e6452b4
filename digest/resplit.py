"""Correcting how a stored digest was split: the corrections of the upload's review
(digest.ingest.corrections), written back to the digest's stories.

Like the curation services, each call owns its transaction, extracts the stories it changed
again and has the search index follow once committed. The digest keeps its id, and every
story that goes on existing keeps its id (a merged story keeps the first one's, a split
story's first part keeps its own); positions are renumbered, a changed headline gets a new
slug (the old URL redirects), and the URL of a story that goes leads to the one it was merged
into, or to the digest (digest.moved).
"""
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from digest.curation import reextract_stories
from digest.duplicates.store import link_near_duplicates
from digest.ingest.corrections import FRONT_MATTER, MERGE, SPLIT, CorrectionError, apply_correction, fingerprint
from digest.ingest.document import SplitDigest, SplitRead, SplitStory
from digest.models import Digest, Story
from digest.moved import stories_moved
from digest.signals import announce_changed

# Positions move past this offset before they are renumbered, so no two stories ever share
# one on the way (PostgreSQL checks the unique constraint row by row).
RENUMBER_OFFSET = 1_000_000


def digest_split(digest: Digest, stories=None) -> SplitDigest:
    """A stored digest as the split it was stored from (with what editors changed since)."""
    stories = list(digest.stories.order_by("position")) if stories is None else stories
    return SplitDigest(
        stories=[SplitStory(story.headline, story.paragraphs) for story in stories],
        recommended_reads=[SplitRead(r.outlet, r.title, r.url) for r in digest.recommended_reads.order_by("position")],
        title=digest.title,
        date=digest.date,
        front_matter=[block for block in digest.intro.split("\n\n") if block.strip()],
    )


def correct_digest(digest: Digest, action, story, paragraph=None, headline="", seen=None) -> Digest:
    """Apply one correction to a stored digest. `seen` is the fingerprint of the split the
    editor looked at: a correction meant for another version of the digest is refused."""
    with transaction.atomic():
        digest = Digest.objects.select_for_update().get(pk=digest.pk)
        rows = list(digest.stories.order_by("position"))
        before = digest_split(digest, rows)
        if seen is not None and seen != fingerprint(before):
            raise CorrectionError(
                "this digest changed since the page was shown (another editor, another tab, or a second click); "
                "here it is as it is now"
            )
        after = apply_correction(before, action, story, paragraph, headline)
        kept = _rows_after(action, rows, story)
        for row in rows:
            if row not in kept:
                # A story merged into the one before it; else the front matter, which stays in the digest.
                stories_moved([row.pk], digest, into=rows[story] if action == MERGE else None)
                row.delete()  # announced after the commit (digest.signals.story_deleted)
        changed = _write_stories(digest, kept, after.stories)
        if after.front_matter != before.front_matter:
            digest.intro = "\n\n".join(after.front_matter)
            digest.save(update_fields=["intro"])
        reextract_stories(changed)
        link_near_duplicates(changed)
        announce_changed([row.pk for row in changed])
    return digest


def _rows_after(action, rows, story):
    """The stored stories in the order of the corrected split; None where a story is new."""
    if action == MERGE:
        return rows[:story + 1] + rows[story + 2:]
    if action == SPLIT:
        return rows[:story + 1] + [None] + rows[story + 1:]
    if action == FRONT_MATTER:
        return rows[1:]
    return rows


def _write_stories(digest, rows, stories):
    """Make the rows hold the corrected stories at positions 1..n; returns the rows whose text changed."""
    digest.stories.update(position=F("position") + RENUMBER_OFFSET)
    changed = []
    for position, (row, story) in enumerate(zip(rows, stories), start=1):
        body = "\n\n".join(story.paragraphs)
        if row is not None and (row.headline, row.body) == (story.headline, body):
            Story.objects.filter(pk=row.pk).update(position=position)
            continue
        row = row or Story(digest=digest)
        row.position, row.headline, row.body = position, story.headline, body
        row.slug = slugify(story.headline)[:200] or "story"
        row.save()
        changed.append(row)
    return changed
