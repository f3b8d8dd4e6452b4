"""The entity admin: browsing the registry, and curation through the admin going through the services."""
import datetime

import pytest
from django.urls import reverse

from digest.extract import get_extractor
from digest.extract.store import save_mentions
from digest.models import Alias, Digest, Entity, Mention, Story, StopForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model, monkeypatch):
    import search.indexing

    monkeypatch.setattr(search.indexing, "update_stories", lambda ids: None)
    client.force_login(django_user_model.objects.create_superuser("curator", "c@example.org", "pw"))
    return client


@pytest.fixture
def story():
    digest = Digest.objects.create(sha256="3" * 64, date=datetime.date(2016, 12, 19), title="D", file_name="d.txt")
    body = "Buses left Aleppo, Reuters reports.\n\n“We wait,” said Abu Omar of the Brigade."
    story = Story.objects.create(digest=digest, position=0, headline="Evacuation", slug="evacuation", body=body)
    save_mentions(story, get_extractor().extract(story.headline, story.paragraphs))
    return story


def changelist(client, **params):
    return client.get(reverse("admin:digest_entity_changelist"), params)


def test_changelist_shows_mention_counts_and_filters_by_kind(staff, story):
    response = changelist(staff, kind="source", q="Reuters")
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [(e.name, e.mention_total) for e in rows] == [("Reuters", 1)]


def test_search_finds_an_entity_by_alias(staff):
    rows = list(changelist(staff, q="Daesh").context["cl"].result_list)
    assert [e.name for e in rows] == ["ISIS"]


def test_merge_action_folds_into_the_entity_with_most_stories(staff, story):
    halab = Entity.objects.create(kind="place", name="Halab", slug="halab")
    aleppo = Entity.objects.get(name="Aleppo")
    response = staff.post(reverse("admin:digest_entity_changelist"),
                          {"action": "merge_selected", "_selected_action": [halab.pk, aleppo.pk]}, follow=True)
    assert response.status_code == 200
    assert not Entity.objects.filter(pk=halab.pk).exists()
    assert aleppo.aliases.filter(name="Halab").exists()
    assert Mention.objects.get(story=story, entity__kind="place").entity_id == aleppo.pk


def test_mark_never_action_removes_the_entity_and_blocks_its_name(staff, story):
    omar = Entity.objects.get(name="Abu Omar")
    staff.post(reverse("admin:digest_entity_changelist"),
               {"action": "mark_never_entity", "_selected_action": [omar.pk]}, follow=True)
    assert not Entity.objects.filter(name="Abu Omar").exists()
    assert StopForm.objects.filter(form="Abu Omar").exists()
    assert get_extractor().extract("H", ["“We wait,” said Abu Omar of the Brigade."]).as_json()["actors"] == []


def test_renaming_in_the_change_form_keeps_the_old_name_as_alias(staff, story):
    reuters = Entity.objects.get(kind="source", name="Reuters")
    existing = list(reuters.aliases.all())
    data = {"kind": "source", "actor_type": "", "name": "Thomson Reuters", "country": "", "latitude": "",
            "longitude": "", "aliases-TOTAL_FORMS": str(len(existing) + 1),
            "aliases-INITIAL_FORMS": str(len(existing)), "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000"}
    for i, alias in enumerate([*existing, None]):
        data.update({f"aliases-{i}-id": str(alias.pk) if alias else "", f"aliases-{i}-entity": str(reuters.pk),
                     f"aliases-{i}-name": alias.name if alias else "Reuters wire"})
    response = staff.post(reverse("admin:digest_entity_change", args=[reuters.pk]), data)
    assert response.status_code == 302
    reuters.refresh_from_db()
    assert reuters.name == "Thomson Reuters"
    assert set(reuters.aliases.values_list("name", flat=True)) == {"Reuters", "Reuters news agency", "Reuters wire"}
    assert Mention.objects.get(story=story, entity=reuters).surface_forms == ["Reuters"]


def test_adding_a_stop_form_in_the_admin_goes_through_curation(staff, story):
    response = staff.post(reverse("admin:digest_stopform_add"), {"form": "Reuters", "note": "test", "_continue": "1"})
    stop_form = StopForm.objects.get(form="Reuters")
    assert stop_form.note == "test"
    assert response["Location"] == reverse("admin:digest_stopform_change", args=[stop_form.pk])
    assert not Mention.objects.filter(story=story, entity__kind="source").exists()
    assert not Alias.objects.filter(name="Reuters").exists()


def alias_form(entity, aliases, **changes):
    """The entity change form's data with its alias inline; `changes` maps an alias name to a new name or None."""
    data = {"kind": entity.kind, "actor_type": entity.actor_type, "name": entity.name, "country": "",
            "latitude": "", "longitude": "", "aliases-TOTAL_FORMS": str(len(aliases)),
            "aliases-INITIAL_FORMS": str(len(aliases)), "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000"}
    for i, alias in enumerate(aliases):
        data.update({f"aliases-{i}-id": str(alias.pk), f"aliases-{i}-entity": str(entity.pk),
                     f"aliases-{i}-name": changes.get(alias.name, alias.name) or alias.name})
        if alias.name in changes and changes[alias.name] is None:
            data[f"aliases-{i}-DELETE"] = "on"
    return data


def stored_story(body):
    digest = Digest.objects.create(sha256="4" * 64, date=datetime.date(2016, 12, 20), title="D", file_name="e.txt")
    story = Story.objects.create(digest=digest, position=0, headline="Raids", slug="raids", body=body)
    save_mentions(story, get_extractor().extract(story.headline, story.paragraphs))
    return story


def test_deleting_an_alias_in_the_admin_extracts_its_stories_again(staff):
    story = stored_story("Daesh fighters attacked the town, Reuters reports.")
    isis = Entity.objects.get(kind="actor", name="ISIS")
    assert Mention.objects.filter(story=story, entity=isis).exists()

    aliases = list(isis.aliases.all())
    response = staff.post(reverse("admin:digest_entity_change", args=[isis.pk]), alias_form(isis, aliases, Daesh=None))

    assert response.status_code == 302
    assert not isis.aliases.filter(name="Daesh").exists()
    assert not Mention.objects.filter(story=story, entity=isis).exists()


def test_renaming_an_alias_in_the_admin_finds_the_new_name(staff):
    story = stored_story("Fighters of Daesh-Wilayat Halab attacked the town, Reuters reports.")
    isis = Entity.objects.get(kind="actor", name="ISIS")
    aliases = list(isis.aliases.all())
    assert not Mention.objects.filter(story=story, entity=isis).exists()

    staff.post(reverse("admin:digest_entity_change", args=[isis.pk]),
               alias_form(isis, aliases, Daesh="Daesh-Wilayat Halab"))

    assert isis.aliases.filter(name="Daesh-Wilayat Halab").exists()
    assert not isis.aliases.filter(name="Daesh").exists()
    assert Mention.objects.filter(story=story, entity=isis).exists()
