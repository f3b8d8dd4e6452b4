"""Hostile and broken input: reading and splitting end in a digest or an IngestError, and soon.

The service stores whatever read_document + split_digest return and reports an
IngestError's message to the editor; any other exception, or a file that keeps
a worker busy for minutes, is a bug. Each case here runs under a deadline (an
alarm that interrupts a regex stuck backtracking) and must end in a SplitDigest
or an IngestError whose message says something. Random cases use fixed seeds so
a failure is reproducible by its test id.
"""
import contextlib
import io
import random
import signal
import string
import time
import zipfile
from pathlib import Path

import pytest

from digest.ingest.document import SplitDigest
from digest.ingest.errors import IngestError
from digest.ingest.readers import read_document
from digest.ingest.sources import inputs_from_bytes
from digest.ingest.splitter import split_digest

TESTS = Path(__file__).parent
DIGESTS = TESTS / "fixtures" / "digests"
SAMPLES = sorted(
    path for path in DIGESTS.rglob("*") if path.is_file() and path.suffix not in (".json", ".zip")
) + [TESTS.parent / "seeds" / "000_b7d1722ab27881cd.txt"]
NAMES = ["digest.txt", "digest.html", "digest.eml", "digest.md", "digest"]
# CPU seconds one file may take (CPU, not wall-clock time, so a busy machine does not fail a case); the
# slowest cases here (5 MB, bracket soup) take about one. A quadratic reader or splitter takes minutes.
DEADLINE = 5
LIMITS = {"max_file_bytes": 5 * 1024 * 1024, "max_archive_bytes": 100 * 1024 * 1024, "max_members": 5000}


class Overtime(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds):
    def interrupt(signum, frame):
        raise Overtime(f"still running after {seconds} s of CPU time")

    previous = signal.signal(signal.SIGPROF, interrupt)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def outcome(name, data):
    """"split" when the file became a digest, else the IngestError's message; anything else fails."""
    with deadline(DEADLINE):
        try:
            digest = split_digest(read_document(name, data))
        except IngestError as error:
            message = str(error)
            assert len(message.split()) >= 3 and "\n" not in message, repr(message)
            return message
    assert isinstance(digest, SplitDigest)
    assert digest.stories
    for story in digest.stories:
        assert story.headline.strip() and story.paragraphs and all(p.strip() for p in story.paragraphs)
    for read in digest.recommended_reads:
        assert read.outlet.strip() and read.title.strip()
    return "split"


# Random and mutated bytes.

@pytest.mark.parametrize("seed", range(30))
def test_random_bytes(seed):
    rng = random.Random(seed)
    data = rng.randbytes(rng.choice([1, 10, 100, 1000, 20000]))
    outcome(NAMES[seed % len(NAMES)], data)


PIECES = [
    "Assad Forces Advance on Aleppo", "turkey shells kurdish positions", "RECOMMENDED READS", "Recommended Reads:",
    "Reuters: Title", "Reuters \u2013 Title", "-", "--", "* ", "1. ", "**", "_", "#", "## ", "> ", ":", "::::",
    "http://", "https://example.org/a?b=c", "[x](http://example.org)", "[", "]", "(", ")", "<p>", "</p>", "<br>",
    "<strong>", "</strong>", "<td>", "<table>", "<h2>", "</h2>", "<a href='http://x.org'>", "</a>", "<!--", "-->",
    "<script>", "&amp;", "&#0;", "\u201c", "\u2019", "\u00e9", "\ufeff", "\t", "\r", "\n", "\n\n", " ", "  ",
    "Wednesday, December 3, 2014", "3 December 2014", "2014-12-03", "Unsubscribe", "Copyright \u00a9 2016",
    "said the Observatory.", "AFP reports.", "Subject: Digest\n", "From: a@b.c\n", "Content-Type: text/html\n",
    "=?utf-8?q?x?=", "=E9", "=\n", "--boundary\n",
]


@pytest.mark.parametrize("seed", range(60))
def test_random_digest_shaped_text(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(PIECES) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(1, 400)))
    outcome(NAMES[seed % len(NAMES)], text.encode(rng.choice(["utf-8", "utf-16", "cp1252"]), errors="replace"))


def mutations(data, rng):
    """Truncated, bit-flipped, cut, doubled and spliced versions of a file."""
    size = len(data)
    yield "truncated-half", data[: size // 2]
    yield "truncated-random", data[: rng.randrange(1, size)]
    yield "one-byte", data[:1]
    flipped = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        flipped[rng.randrange(size)] = rng.randrange(256)
    yield "flipped", bytes(flipped)
    start = rng.randrange(size)
    yield "cut", data[:start] + data[start + rng.randint(1, 500):]
    yield "doubled", data[:start] + data[start:start + 2000] * 3 + data[start:]
    yield "spliced-random", data[:start] + rng.randbytes(200) + data[start:]
    yield "lines-shuffled", b"\n".join(rng.sample(data.split(b"\n"), len(data.split(b"\n"))))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: str(path.relative_to(TESTS.parent)))
def test_mutated_fixtures(path):
    data = path.read_bytes()
    rng = random.Random(path.name)
    if not data:
        outcome(path.name, data)
        return
    for label, mutated in mutations(data, rng):
        try:
            outcome(path.name, mutated)
        except AssertionError as failure:
            raise AssertionError(f"{label}: {failure}") from failure
        except Overtime as failure:
            raise AssertionError(f"{label}: {failure}") from failure


# Pathological shapes.

def _deep(opening, closing, depth, middle):
    return (opening * depth + middle + closing * depth).encode()


STORY_HTML = "<h2>Assad Forces Advance on Aleppo</h2><p>Government troops advanced on Monday, Reuters reports.</p>"
STORY_TEXT = "Assad Forces Advance on Aleppo\nGovernment troops advanced on Monday, Reuters reports.\n"
HUGE = 5 * 1000 * 1000
TOO_DEEP = "the page nests its elements more than 1,000 levels deep"


def _email(content_type, body, headers=""):
    return (f"From: Syria Digest <digest@example.org>\nSubject: Digest\nDate: Wed, 03 Dec 2014 08:00:00 +0000\n"
            f"MIME-Version: 1.0\n{headers}Content-Type: {content_type}\n\n{body}").encode()


def _multipart(parts, boundary="b0"):
    body = "".join(f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n\n{part}\n" for part in parts)
    return body + f"--{boundary}--\n"


def _nested_multipart(depth):
    body = STORY_TEXT
    content_type = "text/plain; charset=utf-8"
    for level in range(depth):
        boundary = f"b{level}"
        body = f"--{boundary}\nContent-Type: {content_type}\n\n{body}\n--{boundary}--\n"
        content_type = f'multipart/mixed; boundary="{boundary}"'
    return _email(content_type, body)


HOSTILE = {
    # name: (file name, bytes, "split" or the start of the expected IngestError message)
    "html-10000-nested-divs": ("d.html", _deep("<div>", "</div>", 10000, STORY_HTML), TOO_DEEP),
    "html-6000-nested-tables": ("d.html", _deep("<table><tr><td>", "</td></tr></table>", 6000, STORY_HTML), TOO_DEEP),
    "html-10000-unclosed-divs": ("d.html", _deep("<div>", "", 10000, STORY_HTML), TOO_DEEP),
    "html-10000-nested-bold": ("d.html", _deep("<b>", "</b>", 10000, STORY_HTML), TOO_DEEP),
    "html-6000-nested-lists": ("d.html", _deep("<ul><li>", "</li></ul>", 6000, STORY_HTML), TOO_DEEP),
    # Just under the limit a page is read, every pass visiting each element about once.
    "html-990-nested-divs": ("d.html", _deep("<div>", "</div>", 990, STORY_HTML), "split"),
    "html-990-unclosed-fonts": ("d.html", _deep("<font face='Arial'>", "", 990, STORY_HTML), "split"),
    "html-990-nested-bold": (
        "d.html", b"<p>" + _deep("<b>", "</b>", 990, "Assad Forces Advance") + b"<br>Troops advanced.</p>", "split"),
    "html-990-bold-around-a-div": ("d.html", _deep("<b>", "</b>", 990, f"<div>{STORY_HTML}</div>"), "split"),
    "html-990-nested-links": ("d.html", _deep("<a href='http://x.org'>", "</a>", 990, STORY_HTML), "split"),
    "html-990-nested-footers": ("d.html", _deep("<div class='footer'>", "</div>", 990, "x") + STORY_HTML.encode(), "split"),
    "html-990-nested-dates": ("d.html", _deep("<div class='date'>", "</div>", 990, "x") + STORY_HTML.encode(), "split"),
    "html-990-nested-times": ("d.html", _deep("<time>", "</time>", 990, "x") + STORY_HTML.encode(), "split"),
    "html-990-headers-in-an-article": ("d.html", _deep("<article><header>", "</header></article>", 495, STORY_HTML), "split"),
    "html-990-nested-share-bars": (
        "d.html", _deep("<div><a href='https://twitter.com/x'>Twitter</a>", "</div>", 990, STORY_HTML), "split"),
    "html-10000-share-links": ("d.html", STORY_HTML.encode() + b"<a href='https://twitter.com/x'>Twitter</a> " * 10000, "split"),
    "html-10000-links-in-spans": (
        "d.html", STORY_HTML.encode() + _deep("<span>", "", 900, "<a href='http://x.org'>x</a>" * 10000), "split"),
    "html-100000-links": ("d.html", STORY_HTML.encode() + b"<a href='https://twitter.com/x'>Twitter</a>" * 100000,
                          "the page has more than 20,000 HTML elements"),
    # markdown-it stops reading structure 20 levels down, so the headline is lost in the quotes.
    "markdown-10000-nested-quotes": (
        "d.md", _deep("> ", "", 10000, "## Assad Forces Advance\n\nTroops advanced."), "no stories found"),
    "markdown-300-nested-lists": ("d.md", "".join("  " * i + "- item\n" for i in range(300)).encode(), "no stories found"),
    # markdown-it spends tens of microseconds on each bracket: Markdown is capped at 100,000 characters.
    "markdown-30000-brackets": ("d.md", STORY_TEXT.encode() + b"\n" + b"[" * 30000, "split"),
    "markdown-15000-image-openers": ("d.md", STORY_TEXT.encode() + b"\n" + b"![" * 15000, "split"),
    "email-1000-nested-multiparts": ("d.eml", _nested_multipart(1000), "the e-mail nests its parts"),
    "email-50-nested-multiparts": ("d.eml", _nested_multipart(50), "split"),
    "text-5mb-single-line": ("d.txt", b"a" * HUGE, "no stories found"),
    "text-5mb-of-words": ("d.txt", b"Syria " * (HUGE // 6), "no stories found"),
    "text-5mb-line-after-story": ("d.txt", STORY_TEXT.encode() + b"Recommended Reads:\n" + b"Reuters: " * (HUGE // 9), "split"),
    "html-5mb-paragraph": ("d.html", STORY_HTML.encode() + b"<p>" + b"word " * (HUGE // 5) + b"</p>", "split"),
    "markdown-5mb-paragraph": (
        "d.md", STORY_TEXT.encode() + b"\n" + b"word " * (HUGE // 5), "the Markdown file has 5,000,087 characters"),
    "text-100000-colons": ("d.txt", b":" * 100000, "no stories found"),
    "text-100000-colons-then-a-letter": ("d.txt", STORY_TEXT.encode() + b":" * 100000 + b"x", "split"),
    "reads-100000-colons": ("d.txt", STORY_TEXT.encode() + b"Recommended Reads:\n" + b":" * 100000 + b"x", "split"),
    "reads-100000-dashes": ("d.txt", STORY_TEXT.encode() + b"Recommended Reads:\n" + b" -" * 50000 + b"x", "split"),
    "reads-url-then-100000-spaces": (
        "d.txt", STORY_TEXT.encode() + b"Recommended Reads:\nReuters: Title http://x.org" + b" " * 100000 + b"z", "split"),
    "reads-100000-brackets": ("d.txt", STORY_TEXT.encode() + b"Recommended Reads:\nReuters: " + b"[" * 100000, "split"),
    "reads-100000-links": ("d.txt", STORY_TEXT.encode() + b"Recommended Reads:\nReuters: " + b"http://." * 20000, "split"),
    "text-date-trim-backtracking": ("d.txt", b"December 3, 2014" + b" ." * 100000 + b"x\n" + STORY_TEXT.encode(), "split"),
    "text-100000-title-case-words": ("d.txt", b"Word " * 100000 + b"\nTroops advanced.", "no stories found"),
    "text-19000-short-lines": ("d.txt", b"Assad Forces Advance\nTroops advanced.\n" * 9500, "split"),
    "text-100000-short-lines": (
        "d.txt", b"Assad Forces Advance\nTroops advanced.\n" * 50000, "the file has 100,000 lines, more than the 20,000"),
    # html.parser rescans the rest of the page for each "<" it cannot close; those are escaped first.
    "html-19000-unclosed-start-tags": ("d.html", STORY_HTML.encode() + b"<a" * 19000, "split"),
    "html-100000-unclosed-end-tags": ("d.html", STORY_HTML.encode() + b"</a" * 100000, "split"),
    "html-100000-unclosed-declarations": ("d.html", STORY_HTML.encode() + b"<!" * 100000, "split"),
    "html-100000-unclosed-instructions": ("d.html", STORY_HTML.encode() + b"<?" * 100000, "split"),
    "html-100000-unclosed-comments": ("d.html", STORY_HTML.encode() + b"<!--" * 100000, "split"),
    "html-50000-unclosed-cdata": ("d.html", STORY_HTML.encode() + b"<![CDATA[" * 50000, "split"),
    "html-only-scripts-and-styles": (
        "d.html", b"<html><head><style>p{color:red}</style></head><body>" + b"<script>var a = '<p>x</p>';</script>" * 1000
        + b"<style>h2{}</style></body></html>", "no stories found"),
    "email-1000-parts": ("d.eml", _email('multipart/mixed; boundary="b0"', _multipart([STORY_TEXT] + ["Just a note."] * 999)), "split"),
    "email-1000-alternatives": (
        "d.eml", _email('multipart/alternative; boundary="b0"', _multipart([STORY_TEXT] * 1000)), "split"),
    "email-bogus-charset": ("d.eml", _email("text/plain; charset=x-unknown", STORY_TEXT), "split"),
    "email-bogus-charset-in-headers": (
        "d.eml", _email("text/plain; charset=utf-8", STORY_TEXT, headers="X-Note: =?x-unknown?q?caf=E9?=\n")
        .replace(b"Subject: Digest", b"Subject: =?x-unknown?b?////?="), "split"),
    "email-bogus-transfer-encoding": (
        "d.eml", _email("text/plain; charset=utf-8", "not base64 at all: ***", headers="Content-Transfer-Encoding: base64\n"),
        "the e-mail"),
    "email-headers-only": ("d.eml", b"From: a@b.c\nSubject: x\n\n", "the e-mail"),
    # The standard library's header parser slows quadratically on these: headers are capped at 64 KB.
    "email-50000-encoded-words": (
        "d.eml", _email("text/plain", STORY_TEXT).replace(b"Subject: Digest", b"Subject: " + b"=?utf-8?q?a?= " * 50000),
        "the e-mail's headers are 700,"),
    "email-50000-parameters": (
        "d.eml", _email("text/plain; " + "a=b; " * 50000, STORY_TEXT), "the e-mail's headers are 250,"),
    "email-part-with-50000-parameters": (
        "d.eml", _email('multipart/mixed; boundary="b0"', _multipart([STORY_TEXT]).replace(
            "charset=utf-8", "charset=utf-8; " + "a=b; " * 50000)), "a part of the e-mail has a Content header"),
    "email-part-with-50000-folded-parameters": (
        "d.eml", _email('multipart/mixed; boundary="b0"', _multipart([STORY_TEXT]).replace(
            "charset=utf-8", "charset=utf-8;" + "\n a=b;" * 50000)), "a part of the e-mail has a Content header"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_hostile_file(case):
    name, data, expected = HOSTILE[case]

    assert outcome(name, data).startswith(expected)


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _inputs(name, data, **limits):
    with deadline(DEADLINE):
        return list(inputs_from_bytes(name, data, **{**LIMITS, **limits}))


def test_a_zip_of_10000_empty_members_is_refused_whole_or_each_member_says_empty():
    data = _zip((f"{number:05}.txt", b"") for number in range(10000))

    (refused,) = _inputs("week.zip", data)
    members = _inputs("week.zip", data, max_members=10000)

    assert refused.error == "the archive holds 10000 files, more than the limit of 5000"
    assert len(members) == 10000
    assert {outcome(member.name, member.data) for member in members} == {"the file is empty"}


def test_zip_member_names_that_are_not_utf8_are_read_anyway():
    placeholder = "2014-12-03-XXXX.txt"
    data = _zip([(placeholder, STORY_TEXT.encode()), ("notes/YYYY.md", b"")])
    # No UTF-8 flag on these names, so a zip tool reads their bytes as code page 437.
    data = data.replace(b"XXXX", b"\xff\xfe\x80\x81").replace(b"YYYY", b"\xc3\x28\xa0\xa1")

    members = _inputs("week.zip", data)

    assert [member.name for member in members] == ["week.zip:2014-12-03-\u00a0\u25a0\u00c7\u00fc.txt", "week.zip:notes/\u251c(\u00e1\u00ed.md"]
    assert [outcome(member.name, member.data) for member in members] == ["split", "the file is empty"]


@pytest.mark.parametrize("seed", range(10))
def test_random_zip_bytes_and_mutated_archives(seed):
    rng = random.Random(seed)
    archive = (DIGESTS / "archives" / "week-2014-11.zip").read_bytes()
    position = rng.randrange(len(archive))
    candidates = [rng.randbytes(500), archive[:position], archive[:position] + rng.randbytes(50) + archive[position + 50:]]
    for data in candidates:
        for item in _inputs(f"random-{seed}.zip", data):
            assert (item.data is None) != (item.error is None)
            if item.data is not None:
                outcome(item.name, item.data)


@pytest.mark.parametrize("seed", range(10))
def test_random_and_mutated_mailboxes(seed):
    rng = random.Random(seed)
    mailbox = (DIGESTS / "archives" / "inbox-2015-06.mbox").read_bytes()
    position = rng.randrange(len(mailbox))
    candidates = [
        b"From " + rng.randbytes(500),
        mailbox[:position],
        mailbox[:position] + rng.randbytes(50) + mailbox[position + 50:],
        mailbox.replace(b"\n", b"\r\n"),
    ]
    for data in candidates:
        for item in _inputs(f"random-{seed}.mbox", data):
            assert (item.data is None) != (item.error is None)
            if item.data is not None:
                outcome(item.name, item.data)


def test_a_mailbox_message_with_a_huge_subject_is_named_and_refused_soon():
    subject = b"Subject: " + b" ".join([b"=?utf-8?q?Syria_=E2=80=93?="] * 20_000)
    data = b"From x Tue Jun 16 07:05:12 2015\n" + subject + b"\nFrom: a@example.org\n\nbody\n"

    [item] = _inputs("inbox.mbox", data)

    # Only the start of the header is decoded; the space between encoded words is not text (RFC 2047).
    assert item.name == "inbox.mbox:1 " + "Syria \u2013" * 8 + "Syr\u2026"
    assert outcome(item.name, item.data).startswith("the e-mail's headers are ")


def test_the_deadline_really_interrupts():
    started = time.perf_counter()
    with pytest.raises(Overtime):
        with deadline(0.2):
            while True:
                string.ascii_letters.upper()

    assert time.perf_counter() - started < 1


def test_a_huge_article_page_skips_boilerplate_removal_and_stays_fast():
    # trafilatura slows sharply on pages of many thousand elements: such a page is walked whole.
    import time

    from digest.ingest.readers import read_document

    paragraphs = "".join(f"<p>Paragraph {i} of a very long page.</p>" for i in range(15_000))
    page = f"<html><head><meta property='og:type' content='article'></head><body><article>{paragraphs}</article></body></html>"
    started = time.monotonic()
    document = read_document("huge.html", page.encode())
    assert len(document.blocks) == 15_000
    assert time.monotonic() - started < 15
