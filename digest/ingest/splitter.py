"""From a read document to stories: headlines, their paragraphs, and the recommended reads.

Every digest has the same shape whatever its format: Title-Case headlines
without final punctuation, each followed by paragraphs, then often a
"Recommended Reads" block of "Outlet: Title" lines, then maybe the mailing's
footer. Formats that mark headings (HTML, Markdown) are trusted for them; in
plain text a headline is recognised by its look: a short Title-Case line with no
sentence punctuation at its end, followed by a paragraph. A digest written in
sentence case ("Turkey shells Kurdish positions near Azaz") is read by where
its lines stand instead: a short unpunctuated line between a finished sentence
and the next one.

Plain text arrives line by line (LINE blocks), so lines are first gathered into
units: blank lines end a unit, and in hard-wrapped text a line whose next word
would have fitted on it ended its paragraph, while one that was full continues.
"""
import re
from dataclasses import dataclass
from pathlib import Path

from digest.ingest.dates import parse_date_line, parse_title_date
from digest.ingest.document import HEADING, LINE, LIST_ITEM, RULE, Block, ReadDocument, SplitDigest, SplitRead, SplitStory
from digest.ingest.errors import IngestError

DATA = Path(__file__).parent / "data"


def _word_list(name):
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


MINOR_WORDS = _word_list("minor_words.txt")
READS_HEADINGS = _word_list("reads_headings.txt")
FOOTER_PHRASE = re.compile("|".join(re.escape(phrase) for phrase in sorted(_word_list("footer_lines.txt"))))
# Longer than any reads heading with its punctuation and spacing: not compared at all.
READS_HEADING_MAX_CHARS = 2 * max(len(heading) for heading in READS_HEADINGS)

HEADLINE_MAX_CHARS = 200
HEADLINE_WORDS = range(2, 31)
# A sentence-case headline is shorter: a longer unpunctuated line is more likely a sentence left unfinished.
SENTENCE_CASE_HEADLINE_WORDS = range(2, 21)
# Share of a headline's significant words that must start with a capital or digit.
TITLE_CASE_SHARE = 0.75
# Text whose longest line is at most this wide was hard-wrapped by a mail program or editor...
WRAP_MAX_WIDTH = 100
# ...provided this share of its lines come close to that width, as wrapped prose does.
WRAPPED_LINE_SHARE = 0.3
WRAP_SLACK = 15
# Up to this share of lines may run past the width: a line the writer pasted in unwrapped.
WRAP_OVERLONG_SHARE = 0.1
# Blank lines between lines of text this many times: the text separates its paragraphs by blank lines.
BLANK_SEPARATED_GAPS = 2
# "Outlet: Title": an outlet is a name, not a clause.
OUTLET_MAX_CHARS = 60
OUTLET_MAX_WORDS = 6
# A footer line of at most this many words may hold its phrase anywhere ("You can update your preferences...").
FOOTER_LINE_MAX_WORDS = 12

SENTENCE_END = ".!,;:\u2026"
CLOSERS = "\"'\u2019\u201d\u00bb)]*_ "
SEPARATOR = re.compile(r"^[-\u2013\u2014_*=~\u2022#. ]+$")
BULLET = re.compile(r"^(?:[-*\u2022\u2013\u2014+]|\d{1,2}[.)])\s+(?=\S)")
# Where "Outlet: Title" splits: the first colon, or a spaced dash ("Reuters \u2013 Title", "BBC - Title").
READ_SEPARATOR = re.compile(r":|\s(?:--?|[\u2013\u2014])\s")
URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"\u2019\u201d]")
# Neither pattern may run over a "[" or "(" of its own kind: each start scans only to the next one,
# so a line of a hundred thousand brackets is read in one pass, not backtracked over at every bracket.
MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\[\]]+)\]\((?P<url>https?://[^()\s]+)\)")
URL_DECORATION = re.compile(r"\(\s*\)|<\s*>|\[\s*\]")


@dataclass
class Unit:
    """A paragraph-sized piece of the document: one block, or lines gathered into one."""

    text: str
    kind: str
    url: str | None = None
    level: int = 0
    marker: str = ""  # the list marker taken off a LIST_ITEM line ("- ", "10. ")


def split_digest(doc: ReadDocument) -> SplitDigest:
    """Stories and recommended reads of a read document; IngestError when nothing is story-shaped."""
    units = _without_footer(_units(doc.blocks))
    reads_at = next((i for i, unit in enumerate(units) if _is_reads_heading(unit.text)), len(units))
    date, title, stories = _stories(units[:reads_at])
    if not stories:
        raise IngestError(
            "no stories found: a digest needs at least one headline (a heading, or a short line "
            "without final punctuation) followed by a paragraph"
        )
    return SplitDigest(
        stories=stories,
        recommended_reads=_reads(units[reads_at + 1:]),
        title=doc.title or title,
        date=date or doc.date,
    )


# Gathering blocks into units.

def _units(blocks: list[Block]) -> list[Unit]:
    width = _wrap_width([block.text for block in blocks if block.kind == LINE and block.text])
    blank_separated = _blank_gaps(blocks) >= BLANK_SEPARATED_GAPS
    units = []
    lines = []  # the LINE blocks of the unit being gathered
    in_reads = False

    def close():
        if lines:
            units.append(_joined(lines))
            lines.clear()

    for block in blocks:
        text = block.text.strip()
        if block.kind != LINE:
            close()
            if block.kind == RULE or SEPARATOR.match(text):
                units.append(Unit("", RULE))
            elif text:
                units.append(Unit(text, block.kind, block.url, block.level))
        elif not text:
            close()
        elif SEPARATOR.match(text):
            close()
            units.append(Unit("", RULE))
        elif not lines or not _continues(lines, text, width, blank_separated, in_reads):
            close()
            lines.append(Block(text, LINE, block.url))
        else:
            lines.append(Block(text, LINE, block.url))
        in_reads = in_reads or _is_reads_heading(text)
    close()
    return units


def _wrap_width(lines):
    """The width plain text was wrapped at, or None when its lines are not wrapped.

    Headlines and lines holding a link are left out: a wrapper leaves them
    longer than the width it wraps prose at. So are the longest few lines: one
    paragraph pasted in unwrapped does not make the rest of the text unwrapped.
    """
    lines = [line for line in lines if not URL.search(line) and not _looks_like_headline(line)]
    if len(lines) < 3:
        return None
    lengths = sorted(len(line) for line in lines)
    width = lengths[-1 - int(WRAP_OVERLONG_SHARE * len(lengths))]
    near = sum(1 for line in lines if len(line) >= width - WRAP_SLACK)
    if width > WRAP_MAX_WIDTH or near < WRAPPED_LINE_SHARE * len(lines):
        return None
    return width


def _blank_gaps(blocks):
    """How many times a blank line stands between two lines of text."""
    gaps, after_text, blank = 0, False, False
    for block in blocks:
        if block.kind != LINE:
            after_text = blank = False
        elif not block.text.strip():
            blank = after_text
        else:
            gaps += blank
            after_text, blank = True, False
    return gaps


def _continues(lines, text, width, blank_separated, in_reads):
    """Whether `text` continues the unit gathered so far rather than starting a new one.

    Text that puts blank lines between its paragraphs puts them under its
    headlines too, so there a full line always runs on.
    """
    if width is None:
        return False
    if BULLET.match(text) and (in_reads or BULLET.match(lines[0].text)):
        return False  # the next item of a list; elsewhere "- " may be a dash the wrapper put first
    previous = lines[-1].text
    next_word = text.split()[0]
    if len(previous) + 1 + len(next_word) <= width:
        return False  # the next word would have fitted: the line was ended on purpose
    if len(lines) == 1 and not blank_separated and _looks_like_headline(previous, strict=True):
        # A full-width headline above its first paragraph, unless what follows goes on
        # in Title Case (a wrapped headline) or in lower case (a wrapped sentence).
        if not _title_case(text.split(), continued=True) and not text[:1].islower():
            return False
    if not (blank_separated or in_reads) and previous.rstrip(CLOSERS)[-1:] in ".?!" and _title_case(text.split(), share=1.0):
        return False  # a paragraph that ended at the margin, then the next headline (maybe wrapped)
    if in_reads and _read_parts(text) is not None:
        return False  # each "Outlet: Title" line is a read of its own
    return not _is_reads_heading(text) and parse_date_line(text) is None


def _joined(lines):
    text = lines[0].text
    for line in lines[1:]:
        # A wrapper that broke "U.S.-led" after its hyphen left the hyphen in the word.
        glue = "" if text.endswith("-") and not text.endswith(" -") else " "
        text += glue + line.text
    url = next((line.url for line in lines if line.url), None)
    bullet = BULLET.match(text)
    if bullet:
        return Unit(text[bullet.end():], LIST_ITEM, url, marker=bullet.group())
    return Unit(text, LINE, url)


def _without_footer(units):
    """The units without the mailing's footer ("Unsubscribe", "You are receiving this...", copyright).

    The footer starts at the first footer line that only lines such as
    addresses and links follow, searching back from the end until a sentence
    or the reads heading; everything from there on goes. A footer line
    elsewhere (a "View in browser" above the stories) goes alone.
    """
    footer = [_is_footer(unit.text) for unit in units]
    end = len(units)
    for i in range(len(units) - 1, -1, -1):
        if footer[i]:
            end = i
        elif _ends_sentence(units[i].text) or _is_reads_heading(units[i].text):
            break
    return [unit for unit, is_footer in zip(units[:end], footer) if not is_footer]


def _is_footer(text):
    line = text.lstrip(" |*_-\u2013\u2014\u2022>").lower()
    if FOOTER_PHRASE.match(line):
        return True
    return len(line.split()) <= FOOTER_LINE_MAX_WORDS and FOOTER_PHRASE.search(line) is not None


# Recognising what a unit is.

def _is_reads_heading(text):
    if len(text) > READS_HEADING_MAX_CHARS:
        return False
    words = re.sub(r"[^\w\s']", " ", text.replace("\u2019", "'")).split()
    return " ".join(words).lower() in READS_HEADINGS


def _looks_like_headline(text, strict=False):
    """A short Title-Case line with no sentence punctuation at its end ('?' is fine).

    `strict` asks for every significant word capitalised, where a wrong guess
    would cut a paragraph in two.
    """
    words = text.split()
    if len(text) > HEADLINE_MAX_CHARS or len(words) not in HEADLINE_WORDS:
        return False
    if text.rstrip(CLOSERS)[-1:] in SENTENCE_END or URL.search(text):
        return False
    if parse_date_line(text) or _is_reads_heading(text):
        return False
    return _title_case(words, share=1.0 if strict else TITLE_CASE_SHARE, last_capitalised=True)


def _title_case(words, share=TITLE_CASE_SHARE, last_capitalised=False, continued=False):
    """Whether words are Title Case: first word and most significant words capitalised.

    Title Case also capitalises the last word, so a line ending in "the" or
    "and" is the first line of a wrapped sentence, not a headline. A `continued`
    line (the second line of a wrapped headline) may start with a minor word.
    """
    bare = [word.strip("\"'\u2018\u2019\u201c\u201d\u00ab\u00bb()[]*_,:;?!-") for word in words]
    bare = [word for word in bare if word]
    if not bare or not (_capitalised(bare[0]) or continued):
        return False
    if last_capitalised and not _capitalised(bare[-1]):
        return False
    significant = [word for word in bare if word.lower() not in MINOR_WORDS]
    if not significant:
        return False
    return sum(1 for word in significant if _capitalised(word)) >= share * len(significant)


def _looks_like_sentence_case_headline(text):
    """A short line that starts with a capital and stops without punctuation, not on a minor word.

    Only its place makes it a headline (see `_roles`): many lines look like this.
    """
    words = text.split()
    if len(text) > HEADLINE_MAX_CHARS or len(words) not in SENTENCE_CASE_HEADLINE_WORDS:
        return False
    if text.rstrip(CLOSERS)[-1:] in SENTENCE_END + "?" or URL.search(text):
        return False
    if parse_date_line(text) or _is_reads_heading(text):
        return False
    last = words[-1].strip("\"'\u2018\u2019\u201c\u201d()[]*_").lower()
    return _capitalised(words[0].lstrip("\"'\u2018\u201c(*_")) and last not in MINOR_WORDS


def _ends_sentence(text):
    return text.rstrip(CLOSERS)[-1:] in ".?!\u2026"


def _capitalised(word):
    """Starts with a capital or digit, or has a part that does ("al-Assad", "U.S.-led")."""
    if word[:1].isupper() or word[:1].isdigit():
        return True
    return "-" in word and any(part[:1].isupper() or part[:1].isdigit() for part in word.split("-"))


# Stories.

def _stories(units):
    """The date, the title and the stories in the units before the recommended reads."""
    roles = _roles(units)
    date = title = None
    stories = []
    for unit, role in zip(units, roles):
        if role == "headline":
            stories.append(SplitStory(unit.text, []))
        elif role == "paragraph" and stories:
            # A number before a paragraph may belong to its sentence ("10. That is the number of...");
            # a dash or bullet is only layout.
            number = unit.marker if unit.marker[:1].isdigit() else ""
            stories[-1].paragraphs.append(number + unit.text)
        elif not stories:
            # Before the first story: a date line, a title line, or a preamble.
            date = date or parse_date_line(unit.text) or parse_title_date(unit.text)
            if title is None and role == "title":
                title = unit.text
    return date, title, [story for story in stories if story.paragraphs]


def _roles(units):
    """What each unit is: "headline", "paragraph", "title", or "other" (dates, rules, labels)."""
    leading_dates = _leading_dates(units)
    content = [i for i, unit in enumerate(units) if unit.kind != RULE and i not in leading_dates]
    headings = [i for i in content if units[i].kind == HEADING]
    roles = ["other"] * len(units)
    title_at = _title_heading(units, headings, content)
    if title_at is not None:
        roles[title_at] = "title"
        headings.remove(title_at)
        content.remove(title_at)
    story_seen = False
    if headings:
        # The format marks its headings: trust them. A heading straight above another is a section label.
        for position, i in enumerate(content):
            follower = content[position + 1] if position + 1 < len(content) else None
            if units[i].kind != HEADING:
                roles[i] = "paragraph"
            elif follower is not None and units[follower].kind != HEADING:
                roles[i] = "headline"
                story_seen = True
            elif not story_seen and title_at is None:
                roles[i] = "title"
                title_at = i
        return roles
    candidates = {i for i in content if _looks_like_headline(units[i].text)}
    for position, i in enumerate(content):
        previous = content[position - 1] if position > 0 else None
        follower = content[position + 1] if position + 1 < len(content) else None
        if (
            i not in candidates and follower is not None and follower not in candidates
            and (previous is None or previous in candidates or _ends_sentence(units[previous].text))
            and _ends_sentence(units[follower].text) and not units[follower].text[:1].islower()
            and _looks_like_sentence_case_headline(units[i].text)
        ):
            candidates.add(i)  # a sentence-case headline: between a finished sentence and a new one
        if i in candidates and follower is not None and follower not in candidates:
            roles[i] = "headline"
            story_seen = True
        elif i in candidates and not story_seen and title_at is None:
            roles[i] = "title"
            title_at = i
        else:
            roles[i] = "paragraph"
    return roles


def _leading_dates(units):
    """The indexes of the date lines before any paragraph: the digest's date, never a story or a paragraph."""
    dates = set()
    for i, unit in enumerate(units):
        if parse_date_line(unit.text):
            dates.add(i)
        elif not (unit.kind == HEADING or unit.kind == RULE or _looks_like_headline(unit.text)):
            break
    return dates


def _title_heading(units, headings, content):
    """The heading that names the whole digest rather than a story, if there is one.

    It is the first heading, and either shallower than every other heading (an
    <h1> above <h2> stories) or the only heading, with Title-Case headline lines
    after it that carry the stories.
    """
    if not headings or headings[0] != content[0]:
        return None
    first, others = headings[0], headings[1:]
    if others:
        return first if all(units[first].level < units[i].level for i in others) else None
    following = content[1] if len(content) > 1 else None
    if following is not None and _looks_like_headline(units[following].text):
        return first
    return None


# Recommended reads.

def _reads(units):
    """The "Outlet: Title" reads after the heading, up to the first unit that is not one (a footer)."""
    reads = []
    for unit in units:
        if unit.kind == RULE:
            continue
        parts = _read_parts(unit.text)
        if parts is None:
            text, url = _take_url(unit.text)
            if not text and (url or unit.url) and reads and reads[-1].url is None:
                reads[-1].url = url or unit.url  # a bare link on the line under its read
                continue
            break
        outlet, title, url = parts
        reads.append(SplitRead(outlet, title, url or unit.url))
    return reads


def _read_parts(text):
    """(outlet, title, url) of an "Outlet: Title" line; None if it is not one.

    The line splits at its first separator, a colon or a spaced dash, so the
    title keeps any later one ("The Guardian \u2014 Why Putin Went In: Five Theories").
    """
    text, url = _take_url(BULLET.sub("", text.strip()))
    separator = READ_SEPARATOR.search(text)
    if separator is None:
        return None
    outlet, title = text[:separator.start()].strip(" *_\t"), text[separator.end():].strip(" *_\t-\u2013\u2014|")
    if not outlet or not title:
        return None
    if len(outlet) > OUTLET_MAX_CHARS or len(outlet.split()) > OUTLET_MAX_WORDS:
        return None
    return outlet, title, url


def _take_url(text):
    """The text without its link, and the link: markdown [text](url), (url), <url> or a bare url."""
    link = MARKDOWN_LINK.search(text)
    if link:
        return (text[:link.start()] + link["text"] + text[link.end():]).strip(), link["url"]
    match = URL.search(text)
    if not match:
        return text.strip(), None
    rest = URL_DECORATION.sub("", text[:match.start()] + text[match.end():])
    return " ".join(rest.split()).rstrip(" -\u2013\u2014|").strip(), match.group()
