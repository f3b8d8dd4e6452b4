"""Generated digests for the splitter: any text gives a SplitDigest or a clear IngestError, and every
story's text comes from the input.

"Comes from" is checked on the text with its whitespace taken out (the splitter joins wrapped lines
and collapses spaces): each headline and paragraph is a piece of the input, and the pieces follow
one another in the input's order.
"""
from pathlib import Path

from hypothesis import event, example, given, strategies as st

from digest.ingest.document import ReadDocument
from digest.ingest.errors import IngestError
from digest.ingest.readers.markdown import MarkdownReader
from digest.ingest.readers.plaintext import PlainTextReader
from digest.ingest.splitter import split_digest

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_b7d1722ab27881cd.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "digests"
REAL_LINES = [line for path in (SEED, FIXTURES / "2014-12-03-brussels.txt", FIXTURES / "2015-03-15-four-years.md")
              for line in path.read_text(encoding="utf-8").splitlines()]

# Lines a digest is made of, a hostile one's too: real lines, headline-shaped and sentence-shaped
# lines, list items, rules, datelines, blank lines, and any text at all.
words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12)
lines = st.one_of(
    st.sampled_from(REAL_LINES),
    st.builds(lambda ws: " ".join(w.capitalize() for w in ws), st.lists(words, min_size=1, max_size=10)),
    st.builds(lambda ws, end: " ".join(ws) + end, st.lists(words, min_size=3, max_size=40), st.sampled_from(".!?:")),
    st.builds(lambda line, marker: marker + line, st.sampled_from(REAL_LINES), st.sampled_from(["- ", "* ", "1. ", "> ", "# ", "## "])),
    st.sampled_from(["", "", "---", "* * *", "Recommended Reads", "Tuesday, November 25th, 2014", "Unsubscribe",
                     "Top Stories", "Dear readers,", "\u200b", "\t", "\x0c"]),
    st.text(max_size=200),
)
headlines = st.builds(lambda ws: " ".join(w.capitalize() for w in ws), st.lists(words, min_size=2, max_size=10))
sentences = st.builds(lambda ws, end: " ".join(ws) + end, st.lists(words, min_size=8, max_size=40), st.sampled_from(".!?"))
# A story-shaped chunk: a headline (made up or real), then a few paragraphs.
stories = st.builds(lambda headline, paragraphs: "\n".join([headline, *paragraphs]),
                    st.one_of(headlines, st.sampled_from(REAL_LINES)),
                    st.lists(st.one_of(sentences, st.sampled_from(REAL_LINES)), min_size=1, max_size=4))
texts = st.builds(lambda ls, end: end.join(ls).replace("\n", end),
                  st.lists(st.one_of(lines, stories), max_size=40), st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))


def squeezed(text: str) -> str:
    return "".join(text.split())


def assert_comes_from(split, source: str):
    source = squeezed(source)
    at = 0
    for story in split.stories:
        for piece in [story.headline, *story.paragraphs]:
            piece = squeezed(piece)
            assert piece, "a story has an empty headline or paragraph"
            found = source.find(piece, at)
            assert found >= 0, f"{piece[:80]!r} is not in the input after the story text before it"
            at = found


def split_or_refuse(document: ReadDocument):
    try:
        split = split_digest(document)
    except IngestError as error:
        assert str(error), "an IngestError without a message"
        event("refused")
        return None
    event("split into stories")
    return split


@given(texts)
@example(SEED.read_text(encoding="utf-8"))
@example("Headline\nA paragraph that says something.\n" * 3)
@example("")
def test_plain_text_splits_into_stories_from_the_text_or_is_refused(text):
    try:
        document = PlainTextReader().read_text(text)
    except IngestError:
        return
    split = split_or_refuse(document)
    if split is not None:
        assert split.stories
        assert_comes_from(split, text)


@given(texts)
@example((FIXTURES / "2015-03-15-four-years.md").read_text(encoding="utf-8"))
def test_markdown_splits_into_stories_from_the_text_or_is_refused(text):
    try:
        document = MarkdownReader().read_text(text)
    except IngestError:
        return
    split = split_or_refuse(document)
    if split is not None:
        # Markdown's own marks (#, *, >, list markers, escapes) are not text: compare with the rendered blocks.
        assert_comes_from(split, "\n".join(block.text for block in document.blocks))
