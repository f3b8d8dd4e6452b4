"""digest/resplit.py: correcting a stored digest's split; extraction and the index follow, ids stay."""
import pytest

from digest.ingest.corrections import CorrectionError, fingerprint
from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest, Mention, Story
from digest.resplit import correct_digest, digest_split
from search.query import search
from search.results import SearchParams

pytestmark = pytest.mark.django_db

REVIEW = "review/2016-04-20-geneva-walkout.md"


@pytest.fixture
def stored(fixtures_dir, fresh_index, django_capture_on_commit_callbacks):
    path = fixtures_dir / REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        outcome = ingest_input(InputFile(path.name, path.read_bytes(), None))
    assert outcome.status == "created"
    return outcome.digest


def correct(digest, action, story, paragraph=None, headline="", capture=None):
    digest.refresh_from_db()  # as the page that shows it reads it
    seen = fingerprint(digest_split(digest))
    with capture(execute=True):
        return correct_digest(digest, action, story, paragraph, headline, seen=seen)


def stories(digest):
    return [(s.position, s.headline, len(s.paragraphs)) for s in digest.stories.order_by("position")]


def headlines(q):
    return [hit.headline for hit in search(SearchParams(q=q)).hits]


def test_the_three_corrections_of_the_review_on_a_stored_digest(stored, django_capture_on_commit_callbacks):
    ids = {s.headline: s.pk for s in stored.stories.all()}
    capture = django_capture_on_commit_callbacks

    correct(stored, "front_matter", 0, capture=capture)
    correct(stored, "split", 0, 3, capture=capture)
    correct(stored, "merge", 2, capture=capture)

    digest = Digest.objects.get()
    assert digest.pk == stored.pk
    assert digest.intro == (
        "In This Issue\n\nGood morning. Today: the opposition walks out of the Geneva talks, airstrikes on two "
        "markets in Idlib province kill dozens, and an aid convoy reaches Madaya."
    )
    assert stories(digest) == [
        (1, "Opposition Suspends Participation in Geneva Talks", 3),
        (2, "Airstrikes on Markets in Idlib Province Kill Dozens", 2),
        (3, "Aid Convoy Reaches Besieged Madaya", 4),
    ]
    kept = {s.headline: s.pk for s in digest.stories.all()}
    assert kept["Opposition Suspends Participation in Geneva Talks"] == ids["Opposition Suspends Participation in Geneva Talks"]
    assert kept["Aid Convoy Reaches Besieged Madaya"] == ids["Aid Convoy Reaches Besieged Madaya"]
    assert not Story.objects.filter(pk__in=[ids["In This Issue"], ids["‘We Are Starving,’ Residents Say"]]).exists()
    new = digest.stories.get(position=2)
    assert new.slug == "airstrikes-on-markets-in-idlib-province-kill-dozens"

    # Extraction followed: the markets' towns belong to the new story only.
    places = lambda story: set(Mention.objects.filter(story=story, entity__kind="place").values_list("entity__name", flat=True))  # noqa: E731
    assert places(new) == {"Idlib", "Kafr Nabl", "Maarat al-Numan"}
    assert "Kafr Nabl" not in places(digest.stories.get(position=1))
    # And so did the index.
    assert headlines("Kafranbel") == ["Airstrikes on Markets in Idlib Province Kill Dozens"]
    assert headlines("grass leaves") == ["Aid Convoy Reaches Besieged Madaya"]
    assert headlines("morning") == []
    assert search(SearchParams()).total == 3


def test_a_new_headline_gets_a_new_slug_and_is_searchable(stored, django_capture_on_commit_callbacks):
    story = stored.stories.get(position=3)
    correct(stored, "headline", 2, headline="Aid Reaches Madaya After Three Months", capture=django_capture_on_commit_callbacks)

    story.refresh_from_db()
    assert (story.headline, story.slug) == ("Aid Reaches Madaya After Three Months", "aid-reaches-madaya-after-three-months")
    assert headlines("months") == ["Aid Reaches Madaya After Three Months"]


def test_a_correction_for_a_split_the_editor_did_not_see_is_refused(stored, django_capture_on_commit_callbacks):
    seen = fingerprint(digest_split(stored))
    with django_capture_on_commit_callbacks(execute=True):
        correct_digest(stored, "merge", 2, seen=seen)
    with pytest.raises(CorrectionError, match="this digest changed since the page was shown"):
        correct_digest(stored, "merge", 2, seen=seen)
    assert stories(stored)[2] == (3, "Aid Convoy Reaches Besieged Madaya", 4)


def test_an_impossible_correction_changes_nothing(stored):
    before = stories(stored)
    with pytest.raises(CorrectionError, match="story 4 is the last story"):
        correct_digest(stored, "merge", 3)
    with pytest.raises(CorrectionError, match="only the first story can be marked as front matter"):
        correct_digest(stored, "front_matter", 1)
    assert stories(stored) == before
    assert Digest.objects.get().intro == ""


def test_digest_split_reads_the_stored_digest_back(stored):
    split = digest_split(stored)
    assert [s.headline for s in split.stories][:2] == ["In This Issue", "Opposition Suspends Participation in Geneva Talks"]
    assert [(r.outlet, r.title) for r in split.recommended_reads] == [
        ("Al Jazeera", "Inside Madaya, the Town Starved by Siege"),
        ("The Guardian", "Why the Syrian Opposition Walked Out of Geneva"),
    ]
    assert split.front_matter == []
