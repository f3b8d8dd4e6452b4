"""search.indexing: the index follows ingestion, curation and deletes, after each commit."""
from django.core.management import call_command
from django.db import transaction
from haystack.query import SearchQuerySet

from digest.models import Digest, Entity, Mention, Story
from search.indexing import remove_stories, update_stories
from search.query import search
from search.results import SearchParams
from archives import load_stories, store_archive


def indexed_ids():
    return sorted(int(r.pk) for r in SearchQuerySet().all()[:100])


def test_update_stories_indexes_stored_stories(db, fresh_index):
    stories = store_archive(load_stories(), only_its_entities=True)
    assert indexed_ids() == []
    update_stories([s.pk for s in stories.values()])
    assert indexed_ids() == sorted(s.pk for s in stories.values())


def test_updating_twice_keeps_one_entry_per_story(indexed_stories):
    story = indexed_stories["Envoy Proposes Freeze in Aleppo"]
    update_stories([story.pk])
    update_stories([story.pk, story.pk])
    assert indexed_ids().count(story.pk) == 1
    assert search(SearchParams()).total == 7


def test_an_edited_story_is_found_by_its_new_words(indexed_stories):
    story = indexed_stories["Envoy Proposes Freeze in Aleppo"]
    story.body = "A ceasefire was announced in Qamishli."
    story.save()
    update_stories([story.pk])
    assert [h.id for h in search(SearchParams(q="qamishli")).hits] == [story.pk]
    assert search(SearchParams(q="mistura")).total == 0


def test_remove_stories(indexed_stories):
    gone = [indexed_stories["Envoy Proposes Freeze in Aleppo"].pk, indexed_stories["Assad Rejects Talks Proposal"].pk]
    remove_stories(gone)
    assert set(indexed_ids()).isdisjoint(gone)
    assert search(SearchParams()).total == 5


def test_update_of_a_deleted_story_removes_it(indexed_stories):
    story = indexed_stories["Envoy Proposes Freeze in Aleppo"]
    pk = story.pk
    Mention.objects.filter(story=story).delete()
    story.delete()
    update_stories([pk])
    assert pk not in indexed_ids()


def test_deleting_a_story_leaves_the_index_after_commit(indexed_stories, django_capture_on_commit_callbacks):
    story = indexed_stories["Refugees Cross Into Şanlıurfa"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story.delete()
        assert search(SearchParams(q="refugees")).total == 1  # not before the commit
    assert len(callbacks) == 1
    assert search(SearchParams(q="refugees")).total == 0
    assert search(SearchParams()).total == 6


def test_deleting_a_digest_removes_all_its_stories_in_one_update(indexed_stories, django_capture_on_commit_callbacks):
    digest = Digest.objects.get(date="2014-11-18")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        digest.delete()
    assert len(callbacks) == 1
    result = search(SearchParams())
    assert result.total == 4
    assert [(v.value, v.count) for v in result.facets["month"]] == [("2014-12", 2), ("2015-02", 2)]


def test_a_rolled_back_delete_keeps_the_stories(indexed_stories):
    digest = Digest.objects.get(date="2014-11-18")
    try:
        with transaction.atomic():
            digest.delete()
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert search(SearchParams()).total == 7


def test_renaming_an_entity_reindexes_its_stories(indexed_stories, django_capture_on_commit_callbacks):
    entity = Entity.objects.get(kind="place", name="Deir ez-Zor")
    with django_capture_on_commit_callbacks(execute=True):
        entity.name = "Dayr az-Zawr"
        entity.save()
    places = {v.value: v.count for v in search(SearchParams()).facets["place"]}
    assert places["Dayr az-Zawr"] == 2 and "Deir ez-Zor" not in places
    assert search(SearchParams(place=["Dayr az-Zawr"])).total == 2


def test_removing_a_mention_reindexes_its_story(indexed_stories, django_capture_on_commit_callbacks):
    story = indexed_stories["Security Council Debates Aid Convoys"]
    with django_capture_on_commit_callbacks(execute=True):
        Mention.objects.get(story=story, entity__name="St. Petersburg").delete()
    assert search(SearchParams(place=["St. Petersburg"])).total == 0


def test_haystack_rebuild_and_update_commands(indexed_stories):
    remove_stories([s.pk for s in indexed_stories.values()])
    call_command("update_index", verbosity=0)
    assert search(SearchParams()).total == 7
    call_command("rebuild_index", interactive=False, verbosity=0)
    result = search(SearchParams(place=["Deir ez-Zor"]))
    assert result.total == 2
    assert indexed_ids() == sorted(s.pk for s in indexed_stories.values())


def test_merged_segments_keep_every_posting(indexed_stories, fresh_index):
    for story in indexed_stories.values():  # one segment per story, then one merged segment
        update_stories([story.pk])
    fresh_index.optimize()
    assert len(fresh_index.index._segments()) == 1
    assert search(SearchParams(q='"free syrian army"')).total == 3
    assert search(SearchParams(q="aleppo")).total == 4
    assert search(SearchParams(place=["Deir ez-Zor"])).total == 2


def test_searches_and_facets_stay_exact_once_a_segment_has_deleted_documents(db, fresh_index):
    # Enough stories that a facet value's posting list is a block, not inlined in the term table.
    data = load_stories()
    data["digests"] = [dict(d, date=f"{2000 + n}{d['date'][4:]}") for n in range(5) for d in data["digests"]]
    stories = store_archive(data, only_its_entities=True)
    update_stories([story.pk for story in Story.objects.all()])
    # Re-indexing a story deletes its old document: the first segment now has deletions.
    story = Story.objects.filter(mentions__entity__kind="place").first()
    story.mentions.filter(entity__kind="place").first().delete()
    update_stories([story.pk])

    result = search(SearchParams())
    counts = {value.value: value.count for value in result.facets["place"]}
    expected = {}
    for name in Mention.objects.filter(entity__kind="place").values_list("entity__name", flat=True):
        expected[name] = expected.get(name, 0) + 1
    assert result.total == Story.objects.count() > len(stories)
    assert counts == expected
