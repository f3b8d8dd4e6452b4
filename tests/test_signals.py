"""digest.signals: committed changes are announced once per transaction, batched in bulk loads."""
import pytest
from django.db import transaction

from digest.signals import announce_changed, batched_changes, stories_changed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def announced():
    """The story id sets stories_changed announced, in order (the search index's receiver too)."""
    calls = []

    def receiver(sender, story_ids, using, **kwargs):
        calls.append(sorted(story_ids))

    stories_changed.connect(receiver, dispatch_uid="test_signals")
    yield calls
    stories_changed.disconnect(dispatch_uid="test_signals")


def test_one_announcement_per_transaction_after_it_commits(announced):
    with transaction.atomic():
        announce_changed([3, 1])
        announce_changed([2])
        assert announced == []
    assert announced == [[1, 2, 3]]


def test_a_rolled_back_change_is_never_announced(announced):
    with pytest.raises(RuntimeError), transaction.atomic():
        announce_changed([1])
        raise RuntimeError
    assert announced == []


def test_a_batch_announces_its_transactions_together_at_its_end(announced):
    with batched_changes():
        for pk in (1, 2, 3):
            with transaction.atomic():
                announce_changed([pk])
        assert announced == []
    assert announced == [[1, 2, 3]]


def test_a_nested_batch_leaves_the_outer_one_batching(announced):
    with batched_changes():
        with batched_changes():
            with transaction.atomic():
                announce_changed([1])
        with transaction.atomic():
            announce_changed([2])
        assert announced == []  # was [[1]] then [[1], [2]]: the inner block ended the batching
    assert announced == [[1, 2]]


def test_a_batch_flushes_every_so_many_stories(announced):
    with batched_changes(flush_every=2):
        for pk in (1, 2, 3):
            with transaction.atomic():
                announce_changed([pk])
        assert announced == [[1, 2]]
    assert announced == [[1, 2], [3]]


def test_a_failing_subscriber_does_not_undo_the_commit(announced, caplog):
    def broken(sender, story_ids, using, **kwargs):
        raise ConnectionError("engine down at 10.0.0.9:8983")

    stories_changed.connect(broken, dispatch_uid="test_signals_broken")
    try:
        with transaction.atomic():
            announce_changed([7])
    finally:
        stories_changed.disconnect(dispatch_uid="test_signals_broken")
    assert announced == [[7]]
    assert "engine down" in caplog.text
