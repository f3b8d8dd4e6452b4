import datetime

import pytest
from django.urls import reverse

from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_digests(seed_path, fixtures_dir):
    later = fixtures_dir / "service" / "2014-12-03-digest.txt"
    ingest_input(InputFile(seed_path.name, seed_path.read_bytes(), None), date=datetime.date(2014, 11, 26))
    ingest_input(InputFile(later.name, later.read_bytes(), None))
    return Digest.objects.order_by("date")


def test_home_lists_digests_newest_first(client, two_digests):
    page = client.get(reverse("digest:home")).content.decode()
    assert page.index("3 December 2014") < page.index("26 November 2014")


def test_home_without_digests_says_how_to_add_them(client):
    assert "No digests yet" in client.get(reverse("digest:home")).content.decode()


def test_digest_page_shows_stories_in_order_and_reads_as_links(client, two_digests):
    seed = two_digests[0]
    page = client.get(seed.get_absolute_url()).content.decode()
    headlines = [story.headline for story in seed.stories.all()]
    positions = [page.index(headline) for headline in headlines]
    assert positions == sorted(positions)
    assert "Recommended Reads" in page
    assert "Safe Zones in Syria: A Humanitarian Zone in Qusair" in page


def test_read_with_a_url_is_a_link(client, two_digests):
    digest = two_digests[1]
    read = digest.recommended_reads.first()
    read.url = "https://example.org/barrel-bombs"
    read.save()
    page = client.get(digest.get_absolute_url()).content.decode()
    assert '<a href="https://example.org/barrel-bombs" rel="noopener noreferrer">Life Under the Barrel Bombs</a>' in page


def test_story_page_shows_paragraphs_and_entity_chips(client, two_digests):
    story = two_digests[0].stories.get(position=1)
    response = client.get(story.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<p>") >= 6
    assert 'class="chip chip-place"' in page
    assert "?place=Raqqa" in page


def test_story_url_with_a_stale_slug_redirects(client, two_digests):
    story = two_digests[0].stories.first()
    response = client.get(reverse("digest:story", args=[story.pk, "old-slug"]))
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_unknown_digest_and_story_are_404(client):
    assert client.get(reverse("digest:digest", args=[999])).status_code == 404
    assert client.get(reverse("digest:story", args=[999, "x"])).status_code == 404
