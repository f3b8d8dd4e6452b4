"""Keeping the search index in step with the database.

The digest app announces the stories that changed once their transaction has committed
(digest.signals.stories_changed, batched during bulk loads), so a digest appears in search
whole or not at all; `index_changed_stories` brings their entries in line with what the
database then holds: stories that still exist are indexed, the others leave the index.

A digest is stored with `index_pending` set, cleared here once its stories are in the index; a
process killed in between leaves the flag, and the next ingestion announces those stories
again (digest.signals.announce_unindexed).
"""
import logging

from haystack import connections

from digest.models import Digest, Story

from .contract import INDEX_BATCH as BATCH

logger = logging.getLogger(__name__)


def _engine(using="default"):
    connection = connections[using]
    return connection.get_backend(), connection.get_unified_index().get_index(Story)


def update_stories(story_ids, using="default"):
    """Index these stories as they are now; ids whose story no longer exists leave the index."""
    story_ids = sorted({int(pk) for pk in story_ids})
    backend, index = _engine(using)
    found = set()

    def loaded(stories):
        for story in stories:
            found.add(story.pk)
            yield story

    for start in range(0, len(story_ids), BATCH):
        # The backend loads the stories as it reads them, inside its own per-batch setup
        # (the Whoosh backend pauses garbage collection); `found` notes which still exist.
        stories = index.index_queryset(using=using).filter(pk__in=story_ids[start:start + BATCH])
        backend.update(index, loaded(stories))
    gone = [pk for pk in story_ids if pk not in found]
    if gone:
        remove_stories(gone, using)
    _indexed(sorted(found))


def _indexed(story_ids):
    """Digests with stories among these are indexed: a digest's stories are always indexed together
    (one transaction's, in one batch). One whose stories were replaced since keeps its flag."""
    for start in range(0, len(story_ids), BATCH):
        digests = Story.objects.filter(pk__in=story_ids[start:start + BATCH]).values("digest_id")
        Digest.objects.filter(index_pending=True, pk__in=digests).update(index_pending=False)


def remove_stories(story_ids, using="default"):
    """Take these stories out of the index."""
    backend, _ = _engine(using)
    identifiers = [f"{Story._meta.label_lower}.{int(pk)}" for pk in story_ids]  # haystack's get_identifier
    remove_many = getattr(backend, "remove_many", None)
    if remove_many is not None:
        remove_many(identifiers)
    else:
        for identifier in identifiers:
            backend.remove(identifier)


def index_changed_stories(sender, story_ids, using="default", **kwargs):
    """digest.signals.stories_changed: the stories' index entries follow their committed state."""
    try:
        if using == "default":
            update_stories(story_ids)
        else:
            update_stories(story_ids, using)
    except Exception:
        logger.exception("Could not index stories %s; `manage.py check_index --fix` repairs it", sorted(story_ids))
