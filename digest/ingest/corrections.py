"""An editor's corrections to how a digest was split, as pure functions over SplitDigest.

The same four corrections serve a staged upload (before anything is stored) and a stored
digest (digest/resplit.py writes the result back). Each returns a new SplitDigest and leaves
its argument alone, so a page can always compare before and after; a correction that makes no
sense (a story that is not there, a split that would leave a story without paragraphs) raises
CorrectionError with a message for the editor.
"""
import copy
import hashlib
import json

from .document import SplitDigest, SplitStory
from .serialise import split_as_json

HEADLINE_MAX_CHARS = 500  # Story.headline's length: longer is refused, never cut silently

MERGE, SPLIT, FRONT_MATTER, HEADLINE = "merge", "split", "front_matter", "headline"


class CorrectionError(ValueError):
    """A correction that cannot be applied; the message says why."""


def merge_with_next(split: SplitDigest, story: int) -> SplitDigest:
    """Story `story` takes in the next one: its headline becomes a paragraph (no words are lost,
    and a line the splitter took for a headline usually is one), then its paragraphs."""
    _story(split, story)
    if story + 1 >= len(split.stories):
        raise CorrectionError(f"story {story + 1} is the last story: there is no next story to merge it with")
    result = copy.deepcopy(split)
    following = result.stories.pop(story + 1)
    result.stories[story].paragraphs += [following.headline, *following.paragraphs]
    return result


def split_at(split: SplitDigest, story: int, paragraph: int, headline: str = "") -> SplitDigest:
    """Start a new story at paragraph `paragraph` of story `story`.

    With a `headline`, the new story is that headline over paragraphs `paragraph` onwards;
    without one, paragraph `paragraph` is the new story's headline (a paragraph that reads
    like a headline) and the ones after it are its paragraphs.
    """
    paragraphs = _story(split, story).paragraphs
    headline = " ".join(headline.split())
    if not 0 <= paragraph < len(paragraphs):
        raise CorrectionError(f"story {story + 1} has no paragraph {paragraph + 1}")
    if paragraph == 0:
        raise CorrectionError(f"story {story + 1} cannot be split at its first paragraph: it would keep no paragraph")
    if not headline and paragraph == len(paragraphs) - 1:
        raise CorrectionError(
            f"paragraph {paragraph + 1} is the last of story {story + 1}: as a headline it would have no "
            "paragraph under it; give the new story a headline instead"
        )
    if headline:
        _check_headline(headline)
        new = SplitStory(headline, paragraphs[paragraph:])
    else:
        promoted = " ".join(paragraphs[paragraph].split())
        if len(promoted) > HEADLINE_MAX_CHARS:
            raise CorrectionError(
                f"paragraph {paragraph + 1} of story {story + 1} is too long to be a headline "
                f"({len(promoted)} characters, at most {HEADLINE_MAX_CHARS}); give the new story a headline instead"
            )
        new = SplitStory(promoted, paragraphs[paragraph + 1:])
    result = copy.deepcopy(split)
    result.stories[story].paragraphs = paragraphs[:paragraph]
    result.stories.insert(story + 1, new)
    return result


def mark_front_matter(split: SplitDigest, story: int) -> SplitDigest:
    """The first story is not a story but the issue's front matter (a title, a blurb, a greeting):
    its headline and paragraphs join the front matter. Only the first: front matter comes
    before every story."""
    _story(split, story)
    if story != 0:
        raise CorrectionError(
            f"only the first story can be marked as front matter, and story {story + 1} is not the first: "
            "front matter comes before every story"
        )
    if len(split.stories) == 1:
        raise CorrectionError("story 1 is the only story: a digest needs at least one story")
    result = copy.deepcopy(split)
    first = result.stories.pop(0)
    result.front_matter += [first.headline, *first.paragraphs]
    return result


def set_headline(split: SplitDigest, story: int, headline: str) -> SplitDigest:
    """Give story `story` a new headline (spaces tidied)."""
    _story(split, story)
    headline = " ".join(headline.split())
    _check_headline(headline)
    result = copy.deepcopy(split)
    result.stories[story].headline = headline
    return result


def apply_correction(split: SplitDigest, action: str, story: int, paragraph: int | None = None,
                     headline: str = "") -> SplitDigest:
    """One correction by name, as the review forms send it."""
    if action == MERGE:
        return merge_with_next(split, story)
    if action == SPLIT:
        if paragraph is None:
            raise CorrectionError("say at which paragraph to split the story")
        return split_at(split, story, paragraph, headline)
    if action == FRONT_MATTER:
        return mark_front_matter(split, story)
    if action == HEADLINE:
        return set_headline(split, story, headline)
    raise CorrectionError(f"unknown correction {action!r}")


def fingerprint(split: SplitDigest) -> str:
    """A short digest of the split's content. A correction form carries the fingerprint of the
    split it was shown, so a second click or a stale page never corrects a split it did not see."""
    data = json.dumps(split_as_json(split), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def _story(split, story):
    if not 0 <= story < len(split.stories):
        raise CorrectionError(f"there is no story {story + 1}: the digest has {len(split.stories)}")
    return split.stories[story]


def _check_headline(headline):
    if not headline:
        raise CorrectionError("a headline cannot be empty")
    if len(headline) > HEADLINE_MAX_CHARS:
        raise CorrectionError(f"a headline can have at most {HEADLINE_MAX_CHARS} characters, this one has {len(headline)}")
