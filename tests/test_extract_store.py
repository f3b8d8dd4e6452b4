"""The extractor over the database registry, and storing what it finds."""
import datetime

import pytest

from digest.extract import get_extractor
from digest.extract.store import save_digest_mentions, save_mentions
from digest.models import Digest, Entity, Mention, Story

pytestmark = pytest.mark.django_db

HEADLINE = "Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians"
PARAGRAPHS = [
    "At least 63 people were killed in airstrikes by Syrian government forces on Raqqa on Tuesday, Reuters reports.",
    "Information Minister Omran al-Zoubi said rebels had shelled the town of Hbeit. Zoubi denied it.",
    "Fighting also reached Aleppo.",
]


def make_story(headline=HEADLINE, paragraphs=PARAGRAPHS, position=0):
    digest, _ = Digest.objects.get_or_create(
        sha256="0" * 64, defaults=dict(date=datetime.date(2014, 11, 18), title="Digest", file_name="d.txt")
    )
    return Story.objects.create(digest=digest, position=position, headline=headline,
                                body="\n\n".join(paragraphs), slug=f"story-{position}")


def mentions(story):
    return {(m.entity.kind, m.entity.name): (sorted(m.surface_forms), m.count)
            for m in Mention.objects.filter(story=story).select_related("entity")}


def test_the_data_migration_loaded_the_registry():
    raqqa = Entity.objects.get(kind="place", name="Raqqa")
    assert (raqqa.geonameid, raqqa.country, round(raqqa.latitude, 2)) == (172955, "SY", 35.95)
    assert set(raqqa.aliases.values_list("name", flat=True)) >= {"Raqqah", "Rakka"}
    assert Entity.objects.get(kind="actor", name="ISIS").actor_type == "armed_group"
    assert Entity.objects.filter(kind="source", name="Reuters").exists()
    assert Entity.objects.get(name="Syrian government").aliases.filter(name="Syrian army").exists()


def test_save_mentions_stores_every_entity_with_its_forms():
    story = make_story()
    save_mentions(story, get_extractor().extract(story.headline, story.paragraphs))
    assert mentions(story) == {
        ("actor", "Syrian government"): (["Syrian Government", "Syrian government forces"], 2),
        ("actor", "ISIS"): (["ISIS"], 1),
        ("place", "Raqqa"): (["Raqqa"], 2),
        ("source", "Reuters"): (["Reuters"], 1),
        ("actor", "Omran al-Zoubi"): (["Omran al-Zoubi", "Zoubi"], 2),
        ("place", "Hbeit"): (["Hbeit"], 1),
        ("place", "Aleppo"): (["Aleppo"], 1),
    }
    aleppo = Entity.objects.get(kind="place", name="Aleppo")
    assert (aleppo.geonameid, aleppo.country, aleppo.discovered) == (170063, "SY", False)
    zoubi = Entity.objects.get(name="Omran al-Zoubi")
    assert (zoubi.actor_type, zoubi.discovered, zoubi.slug) == ("person", True, "omran-al-zoubi")
    assert Entity.objects.get(name="Hbeit").discovered is True


def test_saving_again_replaces_the_mentions_and_reuses_entities():
    story = make_story()
    extractor = get_extractor()
    save_mentions(story, extractor.extract(story.headline, story.paragraphs))
    entities = Entity.objects.count()
    save_mentions(story, get_extractor().extract(story.headline, ["Reuters reports from Aleppo."]))
    assert mentions(story) == {
        ("actor", "Syrian government"): (["Syrian Government"], 1),
        ("actor", "ISIS"): (["ISIS"], 1),
        ("place", "Raqqa"): (["Raqqa"], 1),
        ("place", "Aleppo"): (["Aleppo"], 1),
        ("source", "Reuters"): (["Reuters"], 1),
    }
    assert Entity.objects.count() == entities


def test_discovered_entities_are_known_to_the_next_extractor():
    story = make_story()
    save_mentions(story, get_extractor().extract(story.headline, story.paragraphs))
    found = get_extractor().extract("Shelling", ["Jets hit Hbeit again."]).as_json()
    assert found["places"] == ["Hbeit"]


def test_a_renamed_gazetteer_place_stays_matched_by_geonameid():
    story = make_story()
    save_mentions(story, get_extractor().extract(story.headline, story.paragraphs))
    aleppo = Entity.objects.get(kind="place", name="Aleppo")
    aleppo.name = "Halab"
    aleppo.save()
    other = make_story("Siege", ["Aleppo is besieged, AFP reports."], position=1)
    save_mentions(other, get_extractor().extract(other.headline, other.paragraphs))
    assert Mention.objects.get(story=other, entity__kind="place").entity_id == aleppo.pk
    assert mentions(other)[("place", "Halab")] == (["Aleppo"], 1)


def test_two_gazetteer_places_of_one_name_get_distinct_rows():
    Entity.objects.create(kind="place", name="Tripoli", slug="tripoli", geonameid=2210247, country="LY")
    story = make_story("Clashes", ["Clashes in Tripoli spilled over from Syria into Lebanon."])
    save_mentions(story, get_extractor().extract(story.headline, story.paragraphs))
    lebanese = Entity.objects.get(geonameid=266826)
    assert (lebanese.name, lebanese.slug) == ("Tripoli (LB)", "tripoli-lb")


def test_the_database_extractor_agrees_with_the_data_files_on_the_seed(seed_path):
    from digest.extract import extractor_from_files
    from digest.ingest.readers import read_document
    from digest.ingest.splitter import split_digest

    from_files = extractor_from_files()
    for story in split_digest(read_document(seed_path.name, seed_path.read_bytes())).stories:
        assert get_extractor().extract(story.headline, story.paragraphs) == from_files.extract(
            story.headline, story.paragraphs
        )


def stored_without_mentions(path, day):
    """A labelled digest's stories, stored as ingestion stores them, and what extraction finds in them."""
    from digest.ingest.readers import read_document
    from digest.ingest.splitter import split_digest

    split = split_digest(read_document(path.name, path.read_bytes()))
    digest = Digest.objects.create(sha256=f"{day:064d}", date=datetime.date(2012, 8, day), title="D", file_name=path.name)
    stories = Story.objects.bulk_create(
        Story(digest=digest, position=n, headline=s.headline, body="\n\n".join(s.paragraphs), slug=f"s{n}")
        for n, s in enumerate(split.stories)
    )
    return stories, [get_extractor().extract(story.headline, story.paragraphs) for story in stories]


def stored_counts(stories):
    return {(m.story_id, m.entity.kind, m.entity.name): m.count
            for m in Mention.objects.filter(story__in=stories).select_related("entity")}


def found_counts(stories, founds):
    return {(story.pk, f.kind, f.name): f.count for story, found in zip(stories, founds) for f in found.entities}


def test_a_digest_is_stored_in_three_queries_whatever_its_length(fixtures_dir, django_assert_max_num_queries):
    path = fixtures_dir / "labelled" / "001_aleppo_2012-08.txt"
    first, first_found = stored_without_mentions(path, 1)
    known = set(Entity.objects.values_list("pk", flat=True))
    # The first time, people found from the text and gazetteer places become entities: three queries more.
    with django_assert_max_num_queries(6):
        assert save_digest_mentions(first, first_found) == [story.pk for story in first]
    assert sorted(Entity.objects.exclude(pk__in=known).values_list("name", "discovered")) == [
        ("Abu Omar", True), ("Aleppo", False), ("Amman", False), ("China", False), ("Jordan", False),
        ("Moscow", False), ("Omran al-Zoubi", True), ("Russia", False), ("Syria", False), ("Turkey", False),
    ]
    # The same stories again in a digest twice as long: every entity is known now.
    again = [stored_without_mentions(path, day) for day in (2, 3)]
    stories, founds = again[0][0] + again[1][0], again[0][1] + again[1][1]
    with django_assert_max_num_queries(3):
        assert save_digest_mentions(stories, founds) == [story.pk for story in stories]
    assert stored_counts(first) == found_counts(first, first_found)
    assert stored_counts(stories) == found_counts(stories, founds)
    assert len(stored_counts(stories)) == 2 * len(stored_counts(first)) > 30


def test_new_stories_mentions_are_stored_without_reading_any(fixtures_dir, django_assert_max_num_queries, monkeypatch):
    from digest import bulk_insert

    stories, founds = stored_without_mentions(fixtures_dir / "labelled" / "001_aleppo_2012-08.txt", 1)
    save_digest_mentions(stories, founds)  # every entity is known now
    Mention.objects.all().delete()
    monkeypatch.setattr(bulk_insert, "MAX_PARAMETERS", 7 * 4)  # several statements of 7 mentions
    inserts = -(-sum(len(found.entities) for found in founds) // 7)
    with django_assert_max_num_queries(1 + inserts):
        assert save_digest_mentions(stories, founds, new_stories=True) == [story.pk for story in stories]
    assert stored_counts(stories) == found_counts(stories, founds)
    forms = {(m.story_id, m.entity.name): m.surface_forms for m in Mention.objects.select_related("entity")}
    assert forms == {(story.pk, f.name): sorted(f.surface_forms) for story, found in zip(stories, founds)
                     for f in found.entities}


def test_unchanged_stories_are_left_alone_and_changed_ones_rewritten(fixtures_dir, django_assert_max_num_queries):
    stories, founds = stored_without_mentions(fixtures_dir / "labelled" / "001_aleppo_2012-08.txt", 1)
    save_digest_mentions(stories, founds)
    before = dict(Mention.objects.values_list("pk", "story_id"))
    with django_assert_max_num_queries(2):
        assert save_digest_mentions(stories, founds) == []
    assert dict(Mention.objects.values_list("pk", "story_id")) == before

    founds[1] = get_extractor().extract(stories[1].headline, ["Kofi Annan left Geneva, AFP reports."])
    assert save_digest_mentions(stories, founds) == [stories[1].pk]
    assert stored_counts([stories[1]]) == {
        (stories[1].pk, "actor", "Kofi Annan"): 2,  # the headline names him too
        (stories[1].pk, "place", "Geneva"): 1,
        (stories[1].pk, "source", "AFP"): 1,
        (stories[1].pk, "actor", "UN Security Council"): 1,
    }
    kept = {pk: story for pk, story in before.items() if story != stories[1].pk}
    assert dict(Mention.objects.exclude(story=stories[1]).values_list("pk", "story_id")) == kept


def test_an_entity_created_by_a_concurrent_ingestion_is_used_not_duplicated(monkeypatch):
    """Between our lookup and our insert another transaction stores the same new place, and a
    new actor whose slug ours would take: ours loses neither the story nor the transaction."""
    from digest.extract import store

    story = make_story()
    found = get_extractor().extract(story.headline, story.paragraphs)
    plan_rows = store._new_rows

    def racing(missing):
        rows = plan_rows(missing)
        if not Entity.objects.filter(name="Hbeit").exists():
            Entity.objects.create(kind="place", name="Hbeit", slug="hbeit", discovered=True)
            Entity.objects.create(kind="actor", name="Omran al Zoubi", slug="omran-al-zoubi")
        return rows

    monkeypatch.setattr(store, "_new_rows", racing)
    save_digest_mentions([story], [found])
    assert Entity.objects.filter(name="Hbeit").count() == 1
    assert Mention.objects.get(story=story, entity__name="Hbeit").entity.slug == "hbeit"
    assert Entity.objects.get(name="Omran al-Zoubi").slug == "omran-al-zoubi-2"
    assert mentions(story)[("actor", "Omran al-Zoubi")] == (["Omran al-Zoubi", "Zoubi"], 2)


def test_a_stored_village_still_needs_a_place_introduced():
    """Once a story names a village of the gazetteer it is stored as an entity; it must not then
    match everywhere as a curated name would."""
    from digest.extract.current import registry_from_db
    from digest.extract.pipeline import Extractor

    extractor = Extractor(registry_from_db())
    assert extractor.extract("Aid", ["Families reached Madaya near Damascus."]).as_json()["places"] == [
        "Madaya", "Damascus"]
    madaya = Entity.objects.create(kind="place", name="Madaya", slug="madaya", geonameid=167558, country="SY")
    extractor = Extractor(registry_from_db())
    assert extractor.extract("Talks", ["Madaya said the talks failed in Damascus."]).as_json()["places"] == [
        "Damascus"]
    madaya.aliases.create(name="Madaya town")  # a curator's choice un-guards it
    extractor = Extractor(registry_from_db())
    assert extractor.extract("Talks", ["Madaya said the talks failed in Damascus."]).as_json()["places"] == [
        "Madaya", "Damascus"]


def test_new_entities_look_up_taken_slugs_over_the_index_not_by_prefix():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from digest.extract.records import EntityRecord
    from digest.extract.store import _new_rows

    Entity.objects.create(kind="actor", name="Walid Haddad", slug="walid-haddad")
    Entity.objects.create(kind="actor", name="Walid  Haddad.", slug="walid-haddad-2")
    with CaptureQueriesContext(connection) as queries:
        (row,) = _new_rows([EntityRecord("actor", "Walid Haddad!", "person", discovered=True)])

    assert row.slug == "walid-haddad-3"
    # A prefix match (LIKE) reads every entity: its cost grew with each one an ingestion discovered.
    assert [q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"].upper()] == []


def test_a_name_with_many_namesakes_still_gets_a_free_slug():
    from digest.extract.records import EntityRecord
    from digest.extract.store import NUMBERED_SLUGS, _new_rows

    for n in range(1, NUMBERED_SLUGS + 6):
        Entity.objects.create(kind="place", name="Kafr Zuzabl" + "." * n, slug="kafr-zuzabl" if n == 1 else f"kafr-zuzabl-{n}")

    (row,) = _new_rows([EntityRecord("place", "Kafr Zuzabl", discovered=True)])

    assert row.slug == f"kafr-zuzabl-{NUMBERED_SLUGS + 6}"


def test_entity_ids_are_found_however_many_keys_a_batch_looks_up():
    """More keys than one query's parameters (a re-extraction's batch) take several queries."""
    from digest.extract.store import LOOKUPS_PER_QUERY, _stored_ids

    raqqa = Entity.objects.get(kind="place", name="Raqqa")
    zoubi = Entity.objects.create(kind="actor", name="Omran al-Zoubi", slug="omran-al-zoubi")
    keys = {("actor", f"Nobody {n}") for n in range(LOOKUPS_PER_QUERY + 10)}
    keys |= {("geonameid", n) for n in range(1, LOOKUPS_PER_QUERY + 10)}
    keys |= {("geonameid", raqqa.geonameid), ("actor", "Omran al-Zoubi"), ("source", "Reuters")}

    ids = _stored_ids(keys)

    reuters = Entity.objects.get(kind="source", name="Reuters")
    assert ids == {("geonameid", raqqa.geonameid): raqqa.pk, ("actor", "Omran al-Zoubi"): zoubi.pk,
                   ("source", "Reuters"): reuters.pk}


def test_a_new_name_needs_one_query_for_its_slug():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from digest.extract.records import EntityRecord
    from digest.extract.store import _new_rows

    with CaptureQueriesContext(connection) as queries:
        rows = _new_rows([EntityRecord("actor", "Walid Haddadi", "person", discovered=True),
                          EntityRecord("place", "Kafr Zamaha", discovered=True)])

    assert [row.slug for row in rows] == ["walid-haddadi", "kafr-zamaha"]
    assert len(queries.captured_queries) == 1
