"""Keeping the search index in step with the database.

Stories are indexed after their transaction commits, never per model save, so a
digest appears in search whole or not at all. Deletes (a story, a digest and
its stories by cascade, a mention) are collected per transaction and applied
once it commits; a rolled-back delete never reaches the index, because the
index is brought in line with what the database then holds.
"""
import logging
import threading
from contextlib import contextmanager

from django.db import transaction
from haystack import connections

from digest.models import Story

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


class PendingStories:
    """Story ids touched in the current transaction, indexed once it commits."""

    def __init__(self):
        self.ids = set()
        self.done = False

    def __call__(self):
        self.done = True
        # The data has committed: an engine that is down must not turn that into an error.
        # check_index --fix brings the index back in line later.
        try:
            batch = getattr(_batch, "current", None)
            if batch is not None:
                batch.add(self.ids)
            else:
                update_stories(self.ids)
        except Exception:
            logger.exception("Could not index stories %s; `manage.py check_index --fix` repairs it", sorted(self.ids))


_batch = threading.local()


class _Batch:
    def __init__(self, flush_every):
        self.ids = set()
        self.flush_every = flush_every

    def add(self, ids):
        self.ids.update(ids)
        if len(self.ids) >= self.flush_every:
            self.flush()

    def flush(self):
        ids, self.ids = self.ids, set()
        if ids:
            update_stories(ids)


@contextmanager
def batched_indexing(flush_every=1000):
    """Index what commits inside the block together, every `flush_every` stories and at the end.

    Each index commit writes a segment, so a bulk ingestion that indexed digest by
    digest would spend most of its time committing; in a batch the stories of
    many digests share one commit.
    """
    batch = _Batch(flush_every)
    _batch.current = batch
    try:
        yield
    finally:
        _batch.current = None
        try:
            batch.flush()
        except Exception:
            logger.exception("Could not index %d stories; `manage.py check_index --fix` repairs it", len(batch.ids))


def follow_after_commit(story_ids, using="default"):
    """Bring these stories' index entries in line with the database after `using`'s commit."""
    connection = transaction.get_connection(using)
    for _, callback, *_ in connection.run_on_commit:
        if isinstance(callback, PendingStories) and not callback.done:
            callback.ids.update(story_ids)
            return
    pending = PendingStories()
    pending.ids.update(story_ids)
    transaction.on_commit(pending, using=using)


def story_deleted(sender, instance, using, **kwargs):
    follow_after_commit([instance.pk], using)


def mention_changed(sender, instance, using, **kwargs):
    follow_after_commit([instance.story_id], using)


def entity_saved(sender, instance, created, using, **kwargs):
    if not created:
        follow_after_commit(instance.mentions.values_list("story_id", flat=True), using)
