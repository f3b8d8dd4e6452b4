"""digest/duplicates/store.py and its hooks: stories are linked to their near-duplicates in other
digests as they are stored, corrected, edited, replaced and deleted."""
import pytest
from django.db.models import F

from digest import curation
from digest.duplicates import store
from digest.duplicates.signature import BANDS
from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest, NearDuplicate, Story, StoryBand, StorySignature
from digest.ingest.corrections import MERGE, fingerprint
from digest.resplit import correct_digest, digest_split

pytestmark = pytest.mark.django_db

FIRST, NEXT = "near_duplicates/2015-01-20-first-day.md", "near_duplicates/2015-01-21-next-day.md"


@pytest.fixture
def ingest(fixtures_dir, fresh_index, django_capture_on_commit_callbacks):
    def ingest(name, replace=False, data=None):
        path = fixtures_dir / name
        with django_capture_on_commit_callbacks(execute=True):
            outcome = ingest_input(InputFile(path.name, data or path.read_bytes(), None), replace=replace)
        assert outcome.status in ("created", "replaced"), outcome.error
        return outcome.digest
    return ingest


def links():
    """Each stored pair once, as (earlier digest's headline, later digest's headline)."""
    rows = NearDuplicate.objects.filter(story__digest__date__lt=F("other__digest__date")).values_list(
        "story__headline", "other__headline")
    return sorted(rows)


def test_a_story_is_linked_at_ingest_to_the_same_event_in_an_earlier_digest(ingest):
    ingest(FIRST)
    assert NearDuplicate.objects.count() == 0
    assert StorySignature.objects.count() == 4
    assert StoryBand.objects.count() == 4 * BANDS
    ingest(NEXT)
    assert links() == [
        ("Airstrikes on Raqqa Kill at Least 63", "Death Toll From Raqqa Airstrikes Rises to 95"),
        ("Engineers Warn Mosul Dam Could Fail Within Months", "Mosul Dam at Risk of Collapse, US Engineers Tell Baghdad"),
        ("Houthi Rebels Seize Presidential Palace in Sanaa", "Yemen's Houthis Take Palace; Minister Calls It a Coup Attempt"),
    ]
    # Stored both ways, never within one digest, never a story with itself.
    assert NearDuplicate.objects.count() == 6
    assert not NearDuplicate.objects.filter(story__digest=F("other__digest")).exists()
    for link in NearDuplicate.objects.all():
        assert NearDuplicate.objects.get(story=link.other, other=link.story).similarity == link.similarity >= 0.45


def test_replacing_a_digest_does_not_make_a_story_its_own_duplicate(ingest, fixtures_dir):
    first = ingest(FIRST)
    ingest(NEXT)
    data = (fixtures_dir / FIRST).read_bytes().replace(b"Good morning.", b"Good morning, corrected.")
    replaced = ingest(FIRST, replace=True, data=data)
    assert replaced.pk == first.pk
    assert len(links()) == 3
    stories = set(Story.objects.values_list("pk", flat=True))
    assert set(NearDuplicate.objects.values_list("story_id", flat=True)) <= stories
    assert StorySignature.objects.count() == 8 and StoryBand.objects.count() == 8 * BANDS


def test_deleting_a_story_or_a_digest_removes_its_links(ingest):
    ingest(FIRST)
    following = ingest(NEXT)
    following.stories.get(headline__startswith="Death Toll").delete()
    assert len(links()) == 2
    following.delete()
    assert NearDuplicate.objects.count() == 0
    assert StoryBand.objects.count() == 4 * BANDS


def test_merging_stories_in_a_correction_signs_the_merged_story_again(ingest):
    ingest(FIRST)
    following = ingest(NEXT)
    # Story 1 (Mosul) absorbs story 2 (Raqqa): the Raqqa row goes, the Mosul row's text changes.
    seen = fingerprint(digest_split(following))
    correct_digest(following, MERGE, 0, seen=seen)
    merged = following.stories.get(position=1)
    assert merged.headline.startswith("Mosul Dam")
    # The Raqqa row's links went with it; the merged text tells two events and is like neither.
    assert links() == [
        ("Houthi Rebels Seize Presidential Palace in Sanaa", "Yemen's Houthis Take Palace; Minister Calls It a Coup Attempt"),
    ]
    assert StorySignature.objects.filter(story=merged).count() == 1


def test_editing_a_story_text_links_it_again(ingest):
    ingest(FIRST)
    following = ingest(NEXT)
    story = following.stories.get(headline__startswith="Mosul Dam")
    story.body = "The Iraqi parliament approved the budget on Thursday after weeks of dispute over oil revenue."
    story.headline = "Parliament Approves Budget"
    story.save()
    curation.story_edited(story, text_changed=True)
    assert not NearDuplicate.objects.filter(story=story).exists()
    assert len(links()) == 2


def test_recurring_text_is_linked_to_none(db):
    digests = [Digest.objects.create(date=f"2015-02-{day:02d}", title=f"d{day}", file_name=f"{day}.txt",
                                     sha256=f"{day:064d}", source_text="") for day in range(1, 14)]
    note = ("Thank you for reading the digest compiled every weekday by our editors from wire reports, "
            "regional press, agencies, correspondents and partners; please forward it to colleagues, friends "
            "and anyone following the conflict.")
    stories = [Story.objects.create(digest=d, position=1, headline="About This Digest", body=note, slug="about")
               for d in digests]
    report = store.link_near_duplicates(stories)
    assert report.signed == 13 and report.too_short == 0
    assert sorted(report.recurring) == sorted(s.pk for s in stories)
    assert report.pairs == [] and NearDuplicate.objects.count() == 0


def test_ingest_skips_linking_when_turned_off(ingest, settings):
    settings.NEAR_DUPLICATES_AT_INGEST = False
    ingest(FIRST)
    ingest(NEXT)
    assert StorySignature.objects.count() == 0 and NearDuplicate.objects.count() == 0


TEXT = ("army rebels shelled the northern town overnight while residents fled toward the border crossing "
        "aid agencies warned that food supplies were running short and hospitals lacked fuel")
# Every fourth word changed: the same event (similarity 0.54), sharing 9 of the 42 band keys.
LIKE = " ".join(word if n % 4 else word + "x" for n, word in enumerate(TEXT.split()))


def stored_story(day, body):
    digest = Digest.objects.create(date=f"2015-03-{day:02d}", title=f"d{day}", file_name=f"{day}.txt",
                                   sha256=f"{day:064d}", source_text="")
    return Story.objects.create(digest=digest, position=1, headline="Shelling", body=body, slug="shelling")


def test_candidates_are_compared_by_how_many_band_keys_they_share(db, monkeypatch):
    same, like = stored_story(1, TEXT), stored_story(2, LIKE)
    assert store.link_near_duplicates([same, like]).pairs == [(same.pk, like.pk, 0.5391)]
    new = stored_story(3, TEXT)
    assert store.link_near_duplicates([new]).pairs == [(same.pk, new.pk, 1.0), (like.pk, new.pk, 0.5391)]
    # With room for one candidate, the one sharing all 42 keys is compared, the one sharing 9 is not.
    monkeypatch.setattr(store, "MAX_CANDIDATES", 1)
    assert store.link_near_duplicates([new]).pairs == [(same.pk, new.pk, 1.0)]


def test_a_band_key_held_by_more_than_hot_key_stories_finds_no_candidate(db, monkeypatch):
    first = stored_story(1, TEXT)
    store.link_near_duplicates([first])
    second = stored_story(2, TEXT)
    monkeypatch.setattr(store, "HOT_KEY_STORIES", 1)  # every key is held by two stories now
    assert store.link_near_duplicates([second]).pairs == []
    monkeypatch.setattr(store, "HOT_KEY_STORIES", 2)
    assert store.link_near_duplicates([second]).pairs == [(first.pk, second.pk, 1.0)]


def test_stories_signed_by_the_ingest_worker_are_stored_and_linked_as_the_writer_would(ingest, fixtures_dir):
    from digest.duplicates.signature import sign
    from digest.ingest.service import parse_input

    path = fixtures_dir / NEXT
    parsed = parse_input(InputFile(path.name, path.read_bytes(), None))
    assert parsed.signed == [sign(story.headline, "\n\n".join(story.paragraphs)) for story in parsed.split.stories]
    ingest(FIRST)
    ingest(NEXT)

    def stored():
        return (sorted(StorySignature.objects.values_list("story_id", "minhash", "version")),
                sorted(StoryBand.objects.values_list("story_id", "key")),
                sorted(NearDuplicate.objects.values_list("story_id", "other_id", "similarity")))
    at_ingest = stored()
    store.link_near_duplicates(Story.objects.all())  # signed again here, in the writer
    assert stored() == at_ingest and len(at_ingest[2]) == 6


def test_the_worker_signs_nothing_when_linking_at_ingest_is_off(fixtures_dir, settings):
    from digest.ingest.service import parse_input

    settings.NEAR_DUPLICATES_AT_INGEST = False
    path = fixtures_dir / FIRST
    assert parse_input(InputFile(path.name, path.read_bytes(), None)).signed is None
