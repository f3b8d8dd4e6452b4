"""digest/ingest/review.py: the flags of a doubtful split, and none on the seed and the fixtures' usual stories."""
import pytest

from digest.ingest.document import SplitDigest, SplitStory
from digest.ingest.readers import read_document
from digest.ingest.review import reads_like_headline, review_split
from digest.ingest.splitter import split_digest


def split_of(path):
    document = read_document(path.name, path.read_bytes())
    return split_digest(document), document


def test_a_doubtful_digest_raises_each_kind_of_flag(fixtures_dir):
    split, document = split_of(fixtures_dir / "review" / "2016-04-20-geneva-walkout.md")

    assert [str(flag) for flag in review_split(split, document.title)] == [
        "story 1: opens like the issue's intro (“In This Issue”): front matter, not a story?",
        "story 1: one paragraph only: a story cut short by a line taken for a headline, or a block that is no story?",
        "story 2, paragraph 4: reads like a headline: the start of a story the split missed?",
        "story 3: one paragraph only: a story cut short by a line taken for a headline, or a block that is no story?",
    ]
    assert review_split(split)[2].as_json() == {
        "kind": "headline_like_paragraph", "story": 2, "paragraph": 4,
        "message": "reads like a headline: the start of a story the split missed?",
    }


def test_the_seed_raises_no_flag(seed_path):
    split, document = split_of(seed_path)
    assert review_split(split, document.title) == []


def test_the_fixture_digests_raise_only_one_paragraph_flags(fixtures_dir):
    kinds = []
    for path in sorted((fixtures_dir / "digests").glob("20*.*")):
        split, document = split_of(path)
        kinds += [(path.name, flag.story + 1, flag.kind) for flag in review_split(split, document.title)]
    assert {kind for *_, kind in kinds} == {"one_paragraph"}
    assert len(kinds) == 11  # a last story of one paragraph, in 11 of the 14


def test_a_long_headline_is_flagged():
    headline = " ".join(["Word"] * 21)
    split = SplitDigest([SplitStory(headline, ["One.", "Two."]), SplitStory(" ".join(["Word"] * 20), ["A.", "B."])])
    assert [str(flag) for flag in review_split(split)] == [
        "story 1: a headline of 21 words (over 20): a paragraph taken for a headline?"
    ]


@pytest.mark.parametrize("headline, title, message", [
    ("Syria Daily Digest", "Syria Daily Digest.", "its headline is the digest's title: front matter, not a story?"),
    ("Wednesday, 26 November 2014", None, "its headline is a date line: front matter, not a story?"),
    ("Welcome to the Syria Daily Digest", None,
     "opens like the issue's intro (“Welcome to”): front matter, not a story?"),
])
def test_a_leftover_intro_is_flagged_on_the_first_story_only(headline, title, message):
    story = SplitStory(headline, ["First paragraph.", "Second paragraph."])
    split = SplitDigest([story, SplitStory("Rebels Take Town", ["A.", "B."]), story])
    assert [str(flag) for flag in review_split(split, title)] == [f"story 1: {message}"]


def test_an_intro_paragraph_under_a_headline_is_flagged():
    split = SplitDigest([SplitStory("Syria Today", ["Here’s your digest for Monday.", "Rebels took the town."])])
    assert [flag.kind for flag in review_split(split)] == ["leftover_intro"]


@pytest.mark.parametrize("text, expected", [
    ("Airstrikes on Markets in Idlib Province Kill Dozens", True),
    ("Turkey shells Kurdish positions near Azaz", True),
    ("The shelling continued on Saturday.", False),
    ("“We eat grass and leaves,” one resident said.", False),
    ("10. That is the number of suicide bombs used in the assault, according to Reuters.", False),
    ("the talks went on without", False),
])
def test_reads_like_headline(text, expected):
    assert reads_like_headline(text) is expected
