"""digest/ingest/corrections.py: merge, split, front matter and headline on a real digest's split."""
import pytest

from digest.ingest.corrections import (
    CorrectionError, apply_correction, fingerprint, mark_front_matter, merge_with_next, set_headline, split_at,
)
from digest.ingest.readers import read_document
from digest.ingest.splitter import split_digest

REVIEW = "review/2016-04-20-geneva-walkout.md"


@pytest.fixture
def split(fixtures_dir):
    path = fixtures_dir / REVIEW
    return split_digest(read_document(path.name, path.read_bytes()))


def shape(split):
    return [(story.headline, len(story.paragraphs)) for story in split.stories]


def test_the_fixture_splits_doubtfully(split):
    assert shape(split) == [
        ("In This Issue", 1),
        ("Opposition Suspends Participation in Geneva Talks", 6),
        ("Aid Convoy Reaches Besieged Madaya", 1),
        ("‘We Are Starving,’ Residents Say", 2),
    ]


def test_merge_with_next_keeps_the_next_headline_as_a_paragraph(split):
    merged = merge_with_next(split, 2)

    assert shape(merged) == [
        ("In This Issue", 1),
        ("Opposition Suspends Participation in Geneva Talks", 6),
        ("Aid Convoy Reaches Besieged Madaya", 4),
    ]
    assert merged.stories[2].paragraphs[1:] == [
        "‘We Are Starving,’ Residents Say",
        "Doctors in the town told Al Jazeera that at least 30 people had died of hunger since December.",
        "“We eat grass and leaves,” one resident said. “The children do not sleep for hunger.”",
    ]
    assert len(split.stories) == 4  # the argument is left alone


def test_split_at_makes_the_paragraph_the_new_headline(split):
    result = split_at(split, 1, 3)

    assert shape(result)[1:3] == [
        ("Opposition Suspends Participation in Geneva Talks", 3),
        ("Airstrikes on Markets in Idlib Province Kill Dozens", 2),
    ]
    assert result.stories[2].paragraphs[0].startswith("At least 44 people were killed on Tuesday")
    assert shape(split)[1] == ("Opposition Suspends Participation in Geneva Talks", 6)


def test_split_at_with_a_headline_keeps_the_paragraph(split):
    result = split_at(split, 1, 4, headline="  Markets   Hit in Idlib ")

    assert shape(result)[1:3] == [
        ("Opposition Suspends Participation in Geneva Talks", 4),
        ("Markets Hit in Idlib", 2),
    ]


@pytest.mark.parametrize("story, paragraph, headline, message", [
    (1, 0, "", "story 2 cannot be split at its first paragraph: it would keep no paragraph"),
    (1, 6, "", "story 2 has no paragraph 7"),
    (1, 5, "", "paragraph 6 is the last of story 2: as a headline it would have no paragraph under it; "
               "give the new story a headline instead"),
    (7, 1, "", "there is no story 8: the digest has 4"),
])
def test_impossible_splits_say_why(split, story, paragraph, headline, message):
    with pytest.raises(CorrectionError) as error:
        split_at(split, story, paragraph, headline)
    assert str(error.value) == message


def test_a_long_paragraph_is_not_made_a_headline(split):
    split.stories[1].paragraphs[1] = "word " * 120
    with pytest.raises(CorrectionError, match="paragraph 2 of story 2 is too long to be a headline"):
        split_at(split, 1, 1)


def test_mark_front_matter_moves_the_first_story_into_the_front_matter(split):
    result = mark_front_matter(split, 0)

    assert result.front_matter == split.front_matter + [
        "In This Issue",
        "Good morning. Today: the opposition walks out of the Geneva talks, airstrikes on two markets in Idlib "
        "province kill dozens, and an aid convoy reaches Madaya.",
    ]
    assert shape(result)[0] == ("Opposition Suspends Participation in Geneva Talks", 6)
    assert "In This Issue" not in split.front_matter


def test_only_the_first_story_can_be_front_matter_and_one_story_must_stay(split):
    with pytest.raises(CorrectionError, match="only the first story can be marked as front matter"):
        mark_front_matter(split, 2)
    one = merge_with_next(merge_with_next(merge_with_next(split, 0), 0), 0)
    with pytest.raises(CorrectionError, match="story 1 is the only story: a digest needs at least one story"):
        mark_front_matter(one, 0)


def test_merging_the_last_story_is_refused(split):
    with pytest.raises(CorrectionError, match="story 4 is the last story: there is no next story to merge it with"):
        merge_with_next(split, 3)


def test_set_headline_tidies_spaces_and_refuses_empty_or_overlong(split):
    assert set_headline(split, 0, " Madaya:\n the Siege ").stories[0].headline == "Madaya: the Siege"
    with pytest.raises(CorrectionError, match="a headline cannot be empty"):
        set_headline(split, 0, "   ")
    with pytest.raises(CorrectionError, match="at most 500 characters, this one has 501"):
        set_headline(split, 0, "x" * 501)


def test_apply_correction_dispatches_by_name(split):
    assert shape(apply_correction(split, "merge", 2)) == shape(merge_with_next(split, 2))
    assert shape(apply_correction(split, "split", 1, 3)) == shape(split_at(split, 1, 3))
    assert shape(apply_correction(split, "front_matter", 0)) == shape(mark_front_matter(split, 0))
    assert apply_correction(split, "headline", 0, headline="Intro").stories[0].headline == "Intro"
    with pytest.raises(CorrectionError, match="say at which paragraph to split the story"):
        apply_correction(split, "split", 1)
    with pytest.raises(CorrectionError, match="unknown correction 'delete'"):
        apply_correction(split, "delete", 1)


def test_the_fingerprint_changes_with_every_correction(split):
    prints = {fingerprint(split), fingerprint(merge_with_next(split, 2)), fingerprint(split_at(split, 1, 3)),
              fingerprint(mark_front_matter(split, 0)), fingerprint(set_headline(split, 0, "Intro"))}
    assert len(prints) == 5
    assert fingerprint(split) == fingerprint(merge_with_next(split, 2).__class__(**vars(split)))
