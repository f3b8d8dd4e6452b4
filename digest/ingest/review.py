"""What looks doubtful in how a digest was split, for an editor to check before (or after) storing.

A flag is a hint, never a verdict: the review page shows it beside the correction that
would usually fix it (digest/ingest/corrections.py), and `ingest --dry-run` prints it.
Each check is one small function over a SplitDigest; `review_split` runs them all.
"""
import re
from dataclasses import dataclass
from pathlib import Path

from .dates import parse_date_line
from .document import SplitDigest
from .splitter import _looks_like_headline as looks_like_headline

DATA = Path(__file__).parent / "data"
# A headline of more words than this is most likely a paragraph that lost its final punctuation.
HEADLINE_MAX_WORDS = 20
# A paragraph of at most this many words with no sentence punctuation at its end reads as a
# sentence-case headline ("Turkey shells Kurdish positions near Azaz").
UNPUNCTUATED_HEADLINE_MAX_WORDS = 20
SENTENCE_END = ".!?\u2026:;,"
CLOSERS = "\"'\u2019\u201d\u00bb)]*_ "

ONE_PARAGRAPH, LONG_HEADLINE, HEADLINE_LIKE_PARAGRAPH, LEFTOVER_INTRO = (
    "one_paragraph", "long_headline", "headline_like_paragraph", "leftover_intro",
)


def _openings(name):
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return tuple(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


INTRO_OPENINGS = _openings("intro_openings.txt")


@dataclass(frozen=True)
class Flag:
    """Something doubtful about story `story` (0-based), or one of its paragraphs."""

    kind: str
    story: int
    message: str
    paragraph: int | None = None

    def as_json(self):
        return {"kind": self.kind, "story": self.story + 1, "paragraph": None if self.paragraph is None else self.paragraph + 1,
                "message": self.message}

    def __str__(self):
        where = f"story {self.story + 1}" + ("" if self.paragraph is None else f", paragraph {self.paragraph + 1}")
        return f"{where}: {self.message}"


def review_split(split: SplitDigest, title: str | None = None) -> list[Flag]:
    """Every flag for the split, story by story. `title` is the digest's title where it comes
    from elsewhere than the split (an e-mail's subject): a first story under it is a title line."""
    flags = _leftover_intro(split, title or split.title)
    for number, story in enumerate(split.stories):
        flags += _one_paragraph(number, story)
        flags += _long_headline(number, story)
        flags += _headline_like_paragraphs(number, story)
    return sorted(flags, key=lambda flag: (flag.story, -1 if flag.paragraph is None else flag.paragraph))


def _one_paragraph(number, story):
    if len(story.paragraphs) != 1:
        return []
    return [Flag(ONE_PARAGRAPH, number, "one paragraph only: a story cut short by a line taken for a headline, "
                                        "or a block that is no story?")]


def _long_headline(number, story):
    words = len(story.headline.split())
    if words <= HEADLINE_MAX_WORDS:
        return []
    return [Flag(LONG_HEADLINE, number,
                 f"a headline of {words} words (over {HEADLINE_MAX_WORDS}): a paragraph taken for a headline?")]


def _headline_like_paragraphs(number, story):
    return [
        Flag(HEADLINE_LIKE_PARAGRAPH, number, "reads like a headline: the start of a story the split missed?", at)
        for at, paragraph in enumerate(story.paragraphs)
        if reads_like_headline(paragraph)
    ]


def reads_like_headline(text):
    """A Title-Case line without final punctuation, or a short line in sentence case that stops
    without any: not how a paragraph of news ends."""
    if looks_like_headline(text):
        return True
    words = text.split()
    return (
        0 < len(words) <= UNPUNCTUATED_HEADLINE_MAX_WORDS
        and text[:1].isupper()
        and text.rstrip(CLOSERS)[-1:] not in SENTENCE_END
    )


def _leftover_intro(split, title):
    """The first story, when it is the issue's own front matter: the issue's title or date as its
    headline, or a greeting or a word about the issue opening its headline or a paragraph."""
    if not split.stories:
        return []
    first = split.stories[0]
    if title and _plain(first.headline) == _plain(title):
        return [Flag(LEFTOVER_INTRO, 0, "its headline is the digest's title: front matter, not a story?")]
    if parse_date_line(first.headline):
        return [Flag(LEFTOVER_INTRO, 0, "its headline is a date line: front matter, not a story?")]
    for block in [first.headline, *first.paragraphs]:
        opening = next((o for o in INTRO_OPENINGS if _plain(block).startswith(o + " ") or _plain(block) == o), None)
        if opening:
            return [Flag(LEFTOVER_INTRO, 0, f"opens like the issue's intro (\u201c{block[:len(opening)]}\u201d): "
                                            "front matter, not a story?")]
    return []


def _plain(text):
    return " ".join(text.replace("\u2019", "'").lower().split()).strip(" .!,:;-\u2013\u2014")
