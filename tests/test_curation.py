"""Curation services: what each changes in the registry and the mentions, and that the index follows."""
import datetime

import pytest

from digest import curation
from digest.extract import get_extractor
from digest.extract.store import save_mentions
from digest.models import Alias, Digest, Entity, Mention, Story, StopForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def reindexed(monkeypatch):
    """The story ids each reindex after commit was asked for."""
    import search.indexing

    calls = []
    monkeypatch.setattr(search.indexing, "update_stories", lambda ids: calls.append(sorted(ids)))
    return calls


def stored_story(headline, *paragraphs, position=0):
    digest, _ = Digest.objects.get_or_create(
        sha256="1" * 64, defaults=dict(date=datetime.date(2015, 5, 21), title="Digest", file_name="d.txt")
    )
    story = Story.objects.create(digest=digest, position=position, headline=headline,
                                 body="\n\n".join(paragraphs), slug=f"s{position}")
    save_mentions(story, get_extractor().extract(story.headline, story.paragraphs))
    return story


def names(story, kind):
    return sorted(Mention.objects.filter(story=story, entity__kind=kind).values_list("entity__name", flat=True))


def test_add_alias_finds_the_name_in_stored_stories(reindexed, django_capture_on_commit_callbacks):
    story = stored_story("Shamiya Advances", "Shamiya fighters took two villages, AFP reports.")
    other = stored_story("Quiet Day", "Nothing happened, Reuters reports.", position=1)
    assert names(story, "actor") == []
    army = Entity.objects.get(name="Free Syrian Army")
    with django_capture_on_commit_callbacks(execute=True):
        curation.add_alias(army, "Shamiya")
    assert names(story, "actor") == ["Free Syrian Army"]
    assert Mention.objects.get(story=story, entity=army).surface_forms == ["Shamiya"]
    assert names(other, "source") == ["Reuters"]
    assert reindexed == [[story.pk]]


def test_rename_keeps_the_old_name_as_an_alias_and_every_mention(reindexed, django_capture_on_commit_callbacks):
    story = stored_story("Nusra Advances", "Jabhat al-Nusra took Idlib, AFP reports.")
    nusra = Entity.objects.get(name="Jabhat al-Nusra")
    with django_capture_on_commit_callbacks(execute=True):
        curation.rename_entity(nusra, "Nusra Front (Jabhat Fateh al-Sham)")
    nusra.refresh_from_db()
    assert nusra.name == "Nusra Front (Jabhat Fateh al-Sham)"
    assert nusra.aliases.filter(name="Jabhat al-Nusra").exists()
    assert names(story, "actor") == ["Nusra Front (Jabhat Fateh al-Sham)"]
    assert get_extractor().extract("H", ["Jabhat al-Nusra fled."]).as_json()["actors"] == [nusra.name]
    assert reindexed == [[story.pk]]


def test_merge_moves_every_mention_and_loses_nothing(reindexed, django_capture_on_commit_callbacks):
    both = stored_story("Talks", "U.N. envoy Jan Egeland met Egeland’s deputy; Jan Egeland left, AFP reports.")
    stray = Entity.objects.create(kind="actor", actor_type="person", name="J. Egeland", slug="j-egeland")
    Alias.objects.create(entity=stray, name="Mr. Egeland")
    Mention.objects.create(story=both, entity=stray, surface_forms=["J. Egeland"], count=2)
    only_stray = stored_story("More Talks", "Nothing new, Reuters reports.", position=1)
    Mention.objects.create(story=only_stray, entity=stray, surface_forms=["Mr. Egeland"], count=1)
    egeland = Entity.objects.get(name="Jan Egeland")
    assert Mention.objects.get(story=both, entity=egeland).count == 3

    with django_capture_on_commit_callbacks(execute=True):
        curation.merge_entities(egeland, [stray])

    assert not Entity.objects.filter(pk=stray.pk).exists()
    merged = Mention.objects.get(story=both, entity=egeland)
    assert (sorted(merged.surface_forms), merged.count) == (["Egeland", "J. Egeland", "Jan Egeland"], 5)
    moved = Mention.objects.get(story=only_stray, entity=egeland)
    assert (moved.surface_forms, moved.count) == (["Mr. Egeland"], 1)
    assert sorted(egeland.aliases.values_list("name", flat=True)) == ["Egeland", "J. Egeland", "Mr. Egeland"]
    assert reindexed == [sorted([both.pk, only_stray.pk])]


def test_merge_hands_the_gazetteer_id_to_a_target_without_one(reindexed, django_capture_on_commit_callbacks):
    story = stored_story("Siege", "The siege of Aleppo tightened, AFP reports.")
    aleppo = Entity.objects.get(geonameid=170063)
    halab = Entity.objects.create(kind="place", name="Halab", slug="halab")
    with django_capture_on_commit_callbacks(execute=True):
        curation.merge_entities(halab, [aleppo])
    halab.refresh_from_db()
    assert (halab.geonameid, names(story, "place")) == (170063, ["Halab"])
    assert get_extractor().extract("H", ["Aleppo again."]).as_json()["places"] == ["Halab"]


def test_merge_refuses_entities_of_different_kinds():
    with pytest.raises(ValueError):
        curation.merge_entities(Entity.objects.get(name="Reuters"), [Entity.objects.get(name="Raqqa")])
    assert Entity.objects.filter(name__in=["Reuters", "Raqqa"]).count() == 2


def test_mark_never_entity_drops_the_form_everywhere(reindexed, django_capture_on_commit_callbacks):
    story = stored_story("Ambush", "Gunmen ambushed a convoy, said Abu Omar of the Tawhid Brigade.")
    assert names(story, "actor") == ["Abu Omar", "Tawhid Brigade"]
    with django_capture_on_commit_callbacks(execute=True):
        curation.mark_never_entity("Abu Omar", note="a nom de guerre, not one person")
    assert names(story, "actor") == ["Tawhid Brigade"]
    assert StopForm.objects.get(form="Abu Omar").note == "a nom de guerre, not one person"
    assert get_extractor().extract("H", ["Then said Abu Omar of the Brigade."]).as_json()["actors"] == []
    assert reindexed == [[story.pk]]


def test_mark_never_entity_removes_the_alias(reindexed, django_capture_on_commit_callbacks):
    story = stored_story("Strikes", "IS fighters fled Raqqa, AFP reports.")
    assert names(story, "actor") == ["ISIS"]
    with django_capture_on_commit_callbacks(execute=True):
        curation.mark_never_entity("IS")
    assert not Alias.objects.filter(name="IS").exists()
    assert names(story, "actor") == []
    assert names(story, "place") == ["Raqqa"]


def test_a_story_edited_by_hand_is_extracted_again_and_reindexed(reindexed, django_capture_on_commit_callbacks):
    story = stored_story("Quiet Day", "Nothing happened, Reuters reports.")
    assert names(story, Entity.SOURCE) == ["Reuters"]
    story.body = "Nothing happened, AFP reports."
    story.save()
    with django_capture_on_commit_callbacks(execute=True):
        curation.story_edited(story, text_changed=True)
    assert names(story, Entity.SOURCE) == ["AFP"]
    assert reindexed == [[story.pk]]


def test_a_digest_edited_by_hand_reindexes_its_stories(reindexed, django_capture_on_commit_callbacks):
    first = stored_story("Quiet Day", "Nothing happened.")
    second = stored_story("Another Day", "Nothing either.", position=1)
    with django_capture_on_commit_callbacks(execute=True):
        curation.digest_edited(first.digest)
    assert reindexed == [sorted([first.pk, second.pk])]
