"""digest/moved.py: the page of a story or entity that no longer exists leads to where it went."""
import pytest
from django.urls import reverse

from digest import curation
from digest.ingest.corrections import fingerprint
from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest, Entity, MovedEntity, MovedStory, Story
from digest.resplit import correct_digest, digest_split

pytestmark = pytest.mark.django_db

REVIEW = "review/2016-04-20-geneva-walkout.md"


@pytest.fixture
def ingest(fixtures_dir, fresh_index, django_capture_on_commit_callbacks):
    def ingest(name, data, replace=False):
        with django_capture_on_commit_callbacks(execute=True):
            outcome = ingest_input(InputFile(name, data, None), replace=replace)
        assert outcome.status in ("created", "replaced"), outcome.error
        return outcome.digest
    return ingest


@pytest.fixture
def stored(ingest, fixtures_dir):
    path = fixtures_dir / REVIEW
    return ingest(path.name, path.read_bytes())


def correct(digest, action, story, capture):
    with capture(execute=True):
        correct_digest(digest, action, story, seen=fingerprint(digest_split(digest)))


def story_urls(story):
    return [reverse("digest:story", args=[story.pk, story.slug]), reverse("digest:story-short", args=[story.pk])]


def leads_to(client, url):
    response = client.get(url)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


def test_a_story_merged_by_a_correction_leads_to_the_one_it_joined(client, stored, django_capture_on_commit_callbacks):
    first, second, third = stored.stories.order_by("position")[1:4]

    correct(stored, "merge", 2, django_capture_on_commit_callbacks)  # the third story joins the second

    assert not Story.objects.filter(pk=third.pk).exists()
    second.refresh_from_db()
    for url in story_urls(third):
        assert leads_to(client, url) == second.get_absolute_url()
    assert client.get(second.get_absolute_url()).status_code == 200

    correct(stored, "merge", 1, django_capture_on_commit_callbacks)  # and that one joins the first

    first.refresh_from_db()
    assert leads_to(client, story_urls(third)[0]) == first.get_absolute_url()  # one step, not a chain
    assert leads_to(client, story_urls(second)[0]) == first.get_absolute_url()


def test_front_matter_and_a_replaced_digest_lead_to_the_digest(client, stored, ingest, fixtures_dir,
                                                                django_capture_on_commit_callbacks):
    greeting, merged_into, merged = stored.stories.order_by("position")[:3]
    correct(stored, "merge", 1, django_capture_on_commit_callbacks)
    correct(stored, "front_matter", 0, django_capture_on_commit_callbacks)

    assert leads_to(client, story_urls(greeting)[0]) == stored.get_absolute_url()

    data = (fixtures_dir / REVIEW).read_bytes().replace(b"Madaya", b"Madaya town")
    replaced = ingest("geneva-walkout-corrected.md", data, replace=True)

    assert replaced.pk == stored.pk
    for story in (merged_into, merged):  # the story it had joined went with the old version
        assert leads_to(client, story_urls(story)[0]) == stored.get_absolute_url()
    assert client.get(reverse("digest:story-short", args=[Story.objects.order_by("pk").last().pk + 1])).status_code == 404

    Digest.objects.all().delete()
    assert not MovedStory.objects.exists()
    assert client.get(story_urls(merged)[0]).status_code == 404


def test_an_entity_merged_by_a_curator_leads_to_the_one_it_became(client, stored):
    into, merged, again = (Entity.objects.create(kind="actor", actor_type="person", name=name, slug=name.lower())
                           for name in ("Egeland", "Egland", "Egelund"))
    old_urls = [merged.get_absolute_url(), reverse("entities:entity-short", args=[merged.pk])]
    old_api_url = f"/api/entities/{merged.pk}/"

    curation.merge_entities(into, [merged])

    for url in old_urls:
        assert leads_to(client, url) == into.get_absolute_url()
    assert leads_to(client, old_api_url) == f"/api/entities/{into.pk}/"  # the JSON too
    assert client.get(f"/api/entities/{into.pk}/").status_code == 200

    into_url = into.get_absolute_url()
    curation.merge_entities(again, [into])  # merged in turn: every old page leads to the last one
    assert leads_to(client, old_urls[0]) == again.get_absolute_url()
    assert leads_to(client, into_url) == again.get_absolute_url()

    again.delete()  # deleted outright: nothing to lead to
    assert not MovedEntity.objects.exists()
    assert client.get(old_urls[0]).status_code == 404
    assert client.get(old_api_url).status_code == 404
