"""What the digest app tells the rest of the site: which stories changed, once it has committed.

Whatever keeps a copy of the stories (the search index) subscribes to `stories_changed`; the
digest app calls none of them. A story added, edited, re-extracted, curated or deleted is
announced with `announce_changed` inside its transaction, and the ids of one transaction go out
together after it commits, so a subscriber sees a digest whole or not at all; a rolled-back
change is never announced. During a bulk load, `batched_changes()` holds the announcements and
sends them every `flush_every` stories and at the end, so the index writes a few large commits.

Receivers get `story_ids` (a set of primary keys, some perhaps deleted by now) and `using`.
"""
import logging
import threading
import time
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

logger = logging.getLogger(__name__)

stories_changed = Signal()


def announce_changed(story_ids, using="default"):
    """Announce these stories once `using`'s transaction commits (at once outside a transaction)."""
    story_ids = {int(pk) for pk in story_ids}
    if not story_ids:
        return
    connection = transaction.get_connection(using)
    for _, callback, *_ in connection.run_on_commit:
        if isinstance(callback, _Committed) and not callback.done:
            callback.ids.update(story_ids)
            return
    transaction.on_commit(_Committed(story_ids, using), using=using)


class _Committed:
    """The story ids of one transaction, announced once it commits."""

    def __init__(self, ids, using):
        self.ids, self.using, self.done = set(ids), using, False

    def __call__(self):
        self.done = True
        batch = getattr(_batch, "current", None)
        if batch is not None and batch.using == self.using:
            batch.add(self.ids)
        else:
            send_changed(self.ids, self.using)


def send_changed(ids, using="default"):
    """Tell the subscribers now that these stories changed (what a batch does when it flushes)."""
    # The data has committed: a subscriber that fails (an engine that is down) must not turn
    # that into an error; each subscriber logs what it could not do.
    for receiver, result in stories_changed.send_robust(sender=None, story_ids=set(ids), using=using):
        if isinstance(result, Exception):
            logger.error("%s failed for %d stories: %s", receiver, len(ids), result, exc_info=result)


_batch = threading.local()

# Stories a bulk load announces at once. The search index writes each batch as one segment, and
# segments of a rebuild's batch (search.contract.INDEX_BATCH) are never merged again; those of
# 1,000 stories were merged eight at a time, which cost as much again as indexing them, and twice
# that on prose with a real vocabulary, whose word pairs are nearly all new terms.
BATCH_STORIES = 5000


class _Batch:
    def __init__(self, flush_every, using, send):
        self.ids, self.flush_every, self.using, self.send = set(), flush_every, using, send
        # Spent in the subscribers (indexing), in all and on this thread's CPU: the ingest command's stage times.
        self.seconds = self.cpu_seconds = 0.0

    def add(self, ids):
        self.ids.update(ids)
        if len(self.ids) >= self.flush_every:
            self.flush()

    def flush(self):
        ids, self.ids = self.ids, set()
        if ids:
            started, cpu_started = time.perf_counter(), time.thread_time()
            self.send(ids, self.using)
            self.seconds += time.perf_counter() - started
            self.cpu_seconds += time.thread_time() - cpu_started


@contextmanager
def batched_changes(flush_every=None, using="default", send=send_changed):
    """Announce what commits inside the block together, every `flush_every` stories (BATCH_STORIES
    by default) and at the end; yields the batch. `send(ids, using)` is what a flush calls: the
    subscribers here by default (the ingest command hands them to a process of its own:
    digest/ingest/indexer.py).

    A block inside another one belongs to the outer batch, which keeps batching after it.
    """
    outer = getattr(_batch, "current", None)
    if outer is not None:
        yield outer
        return
    batch = _batch.current = _Batch(flush_every or BATCH_STORIES, using, send)
    try:
        yield batch
    finally:
        _batch.current = None
        batch.flush()


def unindexed_story_ids(using="default"):
    """The stories of digests stored but not yet taken in by the index (`Digest.index_pending`)."""
    from .models import Story

    return set(Story.objects.using(using).filter(digest__index_pending=True).values_list("pk", flat=True))


def announce_unindexed(using="default"):
    """Announce again the stories of digests stored but not yet taken in by the index (a process
    killed before its batch went out, a subscriber that failed): `Digest.index_pending` is set when
    a digest is stored and cleared by the index. Returns how many stories."""
    story_ids = unindexed_story_ids(using)
    if story_ids:
        batch = getattr(_batch, "current", None)
        if batch is not None and batch.using == using:
            batch.add(story_ids)
        else:
            send_changed(story_ids, using)
    return len(story_ids)


# Changes made through the models rather than a service: a story deleted (alone, or with its
# digest by cascade), a mention removed, an entity renamed. Connected in DigestConfig.ready().

def story_deleted(sender, instance, using, **kwargs):
    announce_changed([instance.pk], using)


def mention_deleted(sender, instance, using, **kwargs):
    announce_changed([instance.story_id], using)


def entity_saved(sender, instance, created, using, **kwargs):
    if not created:
        announce_changed(instance.mentions.values_list("story_id", flat=True), using)


def connect_model_signals():
    from .models import Entity, Mention, Story

    post_delete.connect(story_deleted, sender=Story, dispatch_uid="digest.story_deleted")
    post_delete.connect(mention_deleted, sender=Mention, dispatch_uid="digest.mention_deleted")
    post_save.connect(entity_saved, sender=Entity, dispatch_uid="digest.entity_saved")
