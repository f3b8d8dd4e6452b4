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
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from digest.ingest.dates import is_date_line, is_dateline, parse_date_line, parse_dateline, parse_title_date
from digest.ingest.document import HEADING, LINE, LIST_ITEM, PARAGRAPH, RULE, Block, ReadDocument, SplitDigest, SplitRead, SplitStory
from digest.ingest.errors import IngestError

DATA = Path(__file__).parent / "data"


def _word_list(name):
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def _phrases(name):
    return re.compile("|".join(re.escape(phrase) for phrase in sorted(_word_list(name), key=len, reverse=True)))


MINOR_WORDS = _word_list("minor_words.txt")
READS_HEADINGS = _word_list("reads_headings.txt")
FOOTER_PHRASE = _phrases("footer_lines.txt")
ISSUE_WORDS = _word_list("issue_words.txt")
PAGE_FURNITURE = _word_list("page_furniture.txt")
PAGE_TAIL_HEADINGS = _word_list("page_tail_headings.txt")
SIGN_OFF_PHRASE = _phrases("sign_off_lines.txt")
ATTRIBUTION_WORDS = _word_list("attribution_words.txt")
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
QUOTES = "\"'\u2018\u201c\u00ab"
CLOSERS = "\"'\u2019\u201d\u00bb)]*_ "
# A headline may end in an initialism's period ("... Civil War: U.N.") or trail off ("With Friends Like These …").
INITIALISM_END = re.compile(r"(?:^|[\s(\u201c\"'])(?:[A-Z]\.){2,}$")
ELLIPSIS_END = re.compile(r"\s*(?:\u2026|\.\.\.)$")
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


def split_digest(doc: ReadDocument, context: datetime.date | None = None) -> SplitDigest:
    """Stories, recommended reads and front matter of a read document; IngestError when nothing is story-shaped.

    `context` is a date known from outside the text (--date, the file name): it
    gives the year to a date written without one ("Tuesday, December 24th"), as
    the format's own date (an e-mail's Date header) does when there is one.
    """
    context = doc.date or context
    units = _without_page_tail(_without_furniture(_without_footer(_units(doc.blocks))))
    reads_at = next((i for i, unit in enumerate(units) if _section_kind(unit.text)), len(units))
    body = units[:reads_at]
    # The front matter is found before run-in headlines are looked for: a preamble's first sentence
    # ("Welcome to the archives of Syria Deeply. While we paused...") is no story's headline.
    front_end, title_at = _front_matter_end(body)
    # Sign-offs close the stories: the front matter (where title_at points) is never one.
    body = body[:front_end] + _without_sign_off(_with_run_in_headlines(body[front_end:]))
    date, title, front_matter, stories = _stories(body, front_end, title_at, context)
    if not stories:
        raise IngestError(
            "no stories found: a digest needs at least one headline (a heading, or a short line "
            "without final punctuation) followed by a paragraph"
        )
    return SplitDigest(
        stories=stories,
        recommended_reads=_reads(units[reads_at:]),
        title=doc.title or title,
        date=date or doc.date,
        front_matter=front_matter,
    )


def _at_most_words(text, count):
    """Whether `text` has at most `count` words, without splitting a long paragraph into all of its
    words (a maxsplit stops at count + 1): most lines asked about are paragraphs."""
    return len(text.split(None, count)) <= count


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
    return not _is_reads_heading(text) and not is_date_line(text) and not is_dateline(text)


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
    end, rule_taken = len(units), False
    for i in range(len(units) - 1, -1, -1):
        if footer[i]:
            end = i
        elif units[i].kind == RULE and end < len(units) and end - i <= 3 and not rule_taken:
            end, rule_taken = i, True  # a signature separator ("-- ") just above the footer: an address goes with it
        elif _ends_sentence(units[i].text) or _is_reads_heading(units[i].text):
            break
    return [unit for unit, is_footer in zip(units[:end], footer) if not is_footer]


def _is_footer(text):
    line = text.lstrip(" |*_-\u2013\u2014\u2022>").lower()
    if FOOTER_PHRASE.match(line):
        return True
    return _at_most_words(line, FOOTER_LINE_MAX_WORDS) and FOOTER_PHRASE.search(line) is not None


# Front matter, run-in headlines, sign-offs and the page around a copied article.

# The front matter is looked for among this many units at the top: a site's preamble, the
# issue's title, its blurb and its dateline take a dozen or so.
FRONT_MATTER_MAX_UNITS = 30
# Above an issue's title line, a line of at most this many words and no sentence is the site's navigation.
NAVIGATION_MAX_WORDS = 4
# A line of this many words is prose even when it does not end a sentence.
PROSE_MIN_WORDS = 12
GREETING = re.compile(
    r"^(?:dear|hello|hi|hey|greetings|good (?:morning|afternoon|evening))\b[^.!?]{0,60}[,:!\u2014-]?$", re.IGNORECASE
)
GREETING_MAX_WORDS = 8
UPDATE_NOTE = re.compile(
    r"^(?:this (?:version|story|article|summary|digest|post|page|issue|newsletter) (?:has been|was|is) "
    r"(?:updated|corrected|revised|amended)|an earlier version of this|(?:update|updated|correction|clarification"
    r"|editor['\u2019]?s note)\s*[:\u2014-])",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^(?:(?:written|compiled|edited|curated|produced|prepared|reported) by\b|by\s+[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}$)"
    r"|\bread(?:ing)? time\b|\bmin(?:ute)?s?\.? read\b",
)
BYLINE_MAX_WORDS = 30
# A blurb speaks of the issue itself ("To give you an overview of the latest news, we've organized...").
SELF_REFERENCE = re.compile(
    r"\b(?:we|we['\u2019]ve|we['\u2019]re|our|us|this (?:issue|newsletter|summary|digest|edition|week)|today['\u2019]s"
    r"|summary|overview|curated|round-?up|welcome)\b",
    re.IGNORECASE,
)
COOKIE_NOTICE = re.compile(r"\bcookies?\b.*\b(?:use|uses|accept|policy|consent|continu\w*|browsing|settings)\b", re.IGNORECASE)
COOKIE_NOTICE_MAX_WORDS = 60


# Compiled once: re.sub with a pattern string looks it up in re's cache on every one of the
# thousands of lines a digest's splitting compares.
NOT_BARE_CHARS = re.compile(r"[^\w\s'&-]")
NOT_HEADING_CHARS = re.compile(r"[^\w\s']")
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def _bare(text):
    return " ".join(NOT_BARE_CHARS.sub(" ", text.replace("\u2019", "'")).split()).lower()


# A unit with more word characters than the longest furniture line is none of them (_bare keeps every
# word character), and one without "cook" is no cookie notice: neither is then compared in full, as
# every paragraph of every digest otherwise would be.
FURNITURE_TOO_LONG = re.compile(rf"\w(?:\W*\w){{{max(map(len, PAGE_FURNITURE))}}}")


def _is_furniture(text):
    if FURNITURE_TOO_LONG.search(text) is None and _bare(text) in PAGE_FURNITURE:
        return True
    return "cook" in text.lower() and _at_most_words(text, COOKIE_NOTICE_MAX_WORDS) and COOKIE_NOTICE.search(text) is not None


def _without_furniture(units):
    """The units without share buttons, cookie notices and navigation words that a copied page brings along."""
    return [unit for unit in units if not _is_furniture(unit.text)]


def _without_page_tail(units):
    """The units before a page's list of other articles ("Related Articles", "You Might Also Like"), once a story is seen."""
    story_seen = False
    for i, unit in enumerate(units):
        if story_seen and len(unit.text) <= READS_HEADING_MAX_CHARS and _bare(unit.text) in PAGE_TAIL_HEADINGS:
            return units[:i]
        story_seen = story_seen or (i > 0 and _ends_sentence(unit.text) and len(unit.text.split()) > 8)
    return units


def _is_sign_off(text):
    line = text.lstrip(" *_-\u2013\u2014").lower().replace("\u2019", "'")
    return SIGN_OFF_PHRASE.match(line) is not None or _is_email_line(line)


def _is_email_line(line):
    return _at_most_words(line, 12) and EMAIL_ADDRESS.search(line) is not None


def _without_sign_off(units):
    """The units without the newsletter's closing lines after the last story: a sign-off, its signature,
    contact lines ("You can reach our team with any comments or suggestions at ...")."""
    end = len(units)
    for i in range(len(units) - 1, max(len(units) - 8, 0), -1):
        text = units[i].text
        if _is_sign_off(text):
            end = i
        elif not (_at_most_words(text, 6) and not _ends_sentence(text)):
            break  # a sentence of the story; a short line may be a signature or an address
    return units[:end]


def _is_greeting(text):
    return _at_most_words(text, GREETING_MAX_WORDS) and GREETING.match(text.strip(" *_")) is not None


def _is_byline(text):
    return _at_most_words(text, BYLINE_MAX_WORDS) and (BYLINE.search(text.strip(" *_")) is not None or is_dateline(text))


def _has_title_date(text):
    """Whether a line carries a date set off from its words, even one without a year ("... for December 24th")."""
    return parse_title_date(text, context=datetime.date(2000, 6, 1)) is not None


def _names_issue(text):
    words = {word.strip(".,:;!?\"'\u2019\u201c\u201d()") for word in text.lower().split()}
    return bool(words & ISSUE_WORDS) or text.lower().startswith("this week in")


def _headline_like(unit):
    return unit.kind == HEADING or _looks_like_headline(unit.text)


def _front_matter_end(units):
    """(end, title): the units before `end` are the issue's own front matter, `title` the index of its title line.

    At the top of an issue come, in some order: a site's or the issue's
    greeting and welcome ("Dear Deeply Readers,"), a title line ("Executive
    Summary for December 24th", "Digest for 2015-04-20"), a blurb about the
    issue, a dateline ("Published on Dec. 24, 2013 Read time Approx. 2
    minutes"), an update note. The front matter runs to the last of these
    before the first headline that is a story's: one with no dateline under it
    and not naming the issue.
    """
    end, title_at = 0, None
    for i, unit in enumerate(units[:FRONT_MATTER_MAX_UNITS]):
        text = unit.text
        if unit.kind == RULE:
            continue
        if _is_greeting(text) or _is_byline(text) or is_date_line(text) or UPDATE_NOTE.match(text):
            end = i + 1
        elif _headline_like(unit) and (_has_title_date(text) or _front_follows(units, i)):
            end = i + 1
            if title_at is None or (_has_title_date(text) and not _has_title_date(units[title_at].text)):
                title_at = i  # a dated title line names the issue better than a masthead
        elif _headline_like(unit) and _prose_follows(units, i):
            break
    return end, title_at


def _prose_follows(units, i):
    """Whether a sentence follows the unit at i, as a story's first paragraph follows its headline
    (navigation links and a masthead stand above more short lines)."""
    following = next((unit for unit in units[i + 1:] if unit.kind != RULE), None)
    if following is None or _headline_like(following) or _is_greeting(following.text):
        return False
    return _ends_sentence(following.text) or len(following.text.split()) >= PROSE_MIN_WORDS


def _front_follows(units, i):
    """Whether the headline-like unit at i heads the front matter rather than a story: a dateline follows
    it, or it names the issue and a blurb about the issue, a dateline or another headline follows."""
    following = [unit for unit in units[i + 1:i + 4] if unit.kind != RULE]
    if not following:
        return False
    first = following[0]
    if any(is_date_line(unit.text) or _is_byline(unit.text) for unit in following[:2]):
        return True  # a dateline under it, maybe below a blurb: stories have none
    if not _names_issue(units[i].text):
        return False
    if _headline_like(first) or _is_greeting(first.text):
        return True
    second = following[1] if len(following) > 1 else None
    return SELF_REFERENCE.search(first.text) is not None and (
        second is None or is_date_line(second.text) or _is_byline(second.text) or _headline_like(second)
    )


# Run-in headlines: "Two Million More Refugees Expected in 2014. From Britain's ITV news network: ..."
# (older issues) and "Turkey Enters Idlib: Turkish troops moved into ..." (weekly summaries). A headline
# may end in a quotation that closes after its period ('Assad Interview: “Even Presidents Make Mistakes.”').
RUN_IN_PERIOD = re.compile(
    r"(?:(?<=[^\s.]{2})[.!?]|(?P<initialism>(?<=[A-Z]\.[A-Z])\.))(?P<closer>[\"'\u201d\u2019]?)\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])"
)
# A label may hold an initialism's periods ("U.S. Strikes Assad: The United States fired ...").
RUN_IN_COLON = re.compile(r"^(?P<label>(?:[^:.!?]|(?<=[A-Z])\.){2,60}?)\s*:\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
RUN_IN_FORMS = (".", ":")
# A weekly roundup's day-by-day lines ("Monday: Rebels Seize Syria's Largest Dam; Opposition Renews Offer")
# are labelled by their day; the text may be a list of headlines rather than sentences.
DAY_LABEL = re.compile(r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day$", re.IGNORECASE)
RUN_IN_DAY_TEXT_MIN_WORDS = 3
RUN_IN_HEADLINE_WORDS = range(3, 21)
RUN_IN_LABEL_WORDS = range(1, 9)
RUN_IN_TEXT_MIN_WORDS = 6
# Words before a period that are abbreviations, not a sentence's end ("Gen. Idris").
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "sgt", "capt", "cpt", "adm", "brig", "st", "sen", "rep",
    "gov", "pres", "prof", "jr", "sr", "no", "vs", "approx", "est", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp",
}
# Labels that introduce a note, not a story.
NOTE_LABELS = {"update", "updated", "correction", "clarification", "note", "editor's note", "photo", "source",
               "sources", "via", "read more", "related", "watch", "listen", "also", "breaking", "date", "published"}


def _run_in(unit, form, established=False):
    """(headline, text) when a paragraph starts with its own headline in the given form ("." or ":"); None otherwise.

    In a digest `established` as labelling its paragraphs, a labelled paragraph need not end in a
    full stop (it may end in a link, or a colon before a list).
    """
    if unit.kind not in (LINE, PARAGRAPH, LIST_ITEM):
        return None
    text = unit.text
    if form == ":":
        colon = RUN_IN_COLON.match(text)
        if colon is None:
            return None
        label, rest = colon["label"].strip(" *_"), text[colon.end():]
        words = label.split()
        if (DAY_LABEL.match(label) or is_date_line(label)) and len(rest.split()) >= RUN_IN_DAY_TEXT_MIN_WORDS:
            return label, rest  # a day of a weekly roundup: "Monday: Rebels Seize Dam; Talks Resume"
        if (
            len(words) in RUN_IN_LABEL_WORDS and _bare(label) not in NOTE_LABELS and not _is_greeting(label) and _is_label(words, rest)
            and len(rest.split()) >= RUN_IN_TEXT_MIN_WORDS and (established or _ends_sentence(rest)) and not _title_case(rest.split())
        ):
            return label, rest
        return None
    # A headline is at most HEADLINE_MAX_CHARS long: its end is looked for only that far (and a little
    # more for its mark, a closing quote and the space after it), never along a whole long paragraph.
    # A period that closes an initialism may end the headline ("... in Deir Ezzor: W.H.O. The agency said")
    # or not ("Backer of a U.S. Strike. The French ..."): such a headline is kept only when no longer one follows.
    at_initialism = None
    for end in RUN_IN_PERIOD.finditer(text, 0, HEADLINE_MAX_CHARS + 4):
        headline, rest = text[:end.start()].strip(" *_"), text[end.end():]
        words = headline.split()
        if len(words) > RUN_IN_HEADLINE_WORDS.stop:
            break
        if words and words[-1].lower().strip("(\"'\u201c\u2018") in ABBREVIATIONS:
            continue
        if (
            len(words) in RUN_IN_HEADLINE_WORDS and _title_case(words, last_capitalised=True)
            and len(rest.split()) >= RUN_IN_TEXT_MIN_WORDS and not URL.search(headline)
        ):
            mark = text[end.start()]
            # A question keeps its mark, a quotation its own closing punctuation, an initialism its period.
            found = (headline + mark + end["closer"] if mark == "?" or end["closer"] or end["initialism"] else headline), rest
            if not end["initialism"]:
                return found
            at_initialism = found
        elif not end["initialism"]:
            break  # the first sentence is not a headline: this paragraph has none
    return at_initialism


def _is_label(words, rest):
    """Whether the words before a colon label the paragraph: Title Case ("Raqqa Endgame"), or sentence
    case as the weekly summaries of 2017-18 wrote them ("Peace talks", "Syria's future is female"),
    but not an attribution ("The statement read: “We will ...") nor words left hanging on "of" or "and"."""
    if _title_case(words, share=1.0, last_capitalised=True):
        return True
    bare = [word.strip(",;\"'\u2018\u2019\u201c\u201d()").lower() for word in words]
    return (
        _capitalised(words[0]) and bare[-1] not in MINOR_WORDS and rest[:1] not in QUOTES
        and not set(bare) & ATTRIBUTION_WORDS
    )


def _find_run_ins(units):
    """The units that start with a run-in headline, by index, when the digest is written that way.

    One form per digest: the one more paragraphs start with (on a tie, the one giving longer
    headlines: "Kerry: Assad's War of Starvation. In a weekend article..." is a period run-in, not
    the label "Kerry"). The digest is written that way when the run-ins outnumber the headlines
    standing on their own lines, and there are at least two, or one where no headline stands alone.
    Once two paragraphs carry labels, every labelled paragraph does, whatever it ends in.
    """
    by_form = {form: {i: parts for i, unit in enumerate(units) if (parts := _run_in(unit, form))} for form in RUN_IN_FORMS}
    found = max(by_form.values(), key=lambda found: (len(found), sum(len(parts[0]) for parts in found.values())))
    if not found:
        return {}
    # A headline standing alone heads a story only with a paragraph under it: a Title-Case line at the very
    # end ("The Syria Deeply Team") or above another such line is no competing headline.
    standalone = sum(
        1 for i, unit in enumerate(units[:-1])
        if i not in found and _headline_like(unit) and not _headline_like(units[i + 1]) and not _front_follows(units, i)
    )
    if len(found) <= standalone or (len(found) < 2 and standalone):
        return {}
    if found is by_form[":"] and len(found) >= 2:
        found = {i: parts for i, unit in enumerate(units) if (parts := found.get(i) or _run_in(unit, ":", established=True))}
    return found


def _with_run_in_headlines(units):
    """The units with each run-in headline set on a line of its own above its paragraph."""
    found = _find_run_ins(units)
    if not found:
        return units
    result = []
    for i, unit in enumerate(units):
        if i in found:
            headline, text = found[i]
            result.append(Unit(headline, HEADING, level=6))
            result.append(Unit(text, PARAGRAPH if unit.kind == LIST_ITEM else unit.kind, unit.url))
        else:
            result.append(unit)
    return result


# Recognising what a unit is.

# "More Recent Stories to Look Out for at Syria Deeply", "More From Our Site", "Don't Miss":
# a list of the newsletter's own headlines, each line a whole title.
LINK_SECTION = re.compile(
    r"^(?:(?:more|other|recent|latest|further|also|top)\b.{0,40}\b(?:stories|articles|reports|reporting|coverage|pieces|headlines)\b"
    r"|(?:stories|articles) (?:to (?:look out for|read|watch)|you (?:may|might) have missed)\b"
    r"|more from\b|also on\b|elsewhere on\b|don't miss\b|in case you missed it\b|from our site\b)",
    re.IGNORECASE,
)
# Where a link section names its outlet: "... at Syria Deeply", "More from The Brief".
LINK_SECTION_OUTLET = re.compile(r"\b(?:at|on|from|in)\s+(?P<outlet>(?:the\s+)?[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*){0,4})$")
LINK_SECTION_MAX_WORDS = 14


def _section_kind(text):
    """"reads" for a recommended reads heading, "links" for a section of the newsletter's own headlines, else None."""
    if _is_reads_heading(text):
        return "reads"
    line = text.strip(" *_#:").replace("\u2019", "'")
    if _at_most_words(line, LINK_SECTION_MAX_WORDS) and not _ends_sentence(line) and LINK_SECTION.match(line):
        return "links"
    return None


def is_section_heading(text: str) -> bool:
    """Whether a line opens the recommended reads or a section of headline-only links."""
    return _section_kind(text) is not None


def _link_section_outlet(text):
    match = LINK_SECTION_OUTLET.search(text.strip(" *_#:").replace("\u2019", "'"))
    return match["outlet"] if match else ""


def _is_reads_heading(text):
    if len(text) > READS_HEADING_MAX_CHARS:
        return False
    words = NOT_HEADING_CHARS.sub(" ", text.replace("\u2019", "'")).split()
    return " ".join(words).lower() in READS_HEADINGS


def _looks_like_headline(text, strict=False):
    """A short Title-Case line with no sentence punctuation at its end ('?' is fine).

    `strict` asks for every significant word capitalised, where a wrong guess
    would cut a paragraph in two.
    """
    if len(text) > HEADLINE_MAX_CHARS:
        return False  # before splitting it: most lines asked about are long paragraphs
    words = text.split()
    if len(words) not in HEADLINE_WORDS:
        return False
    end = text.rstrip(CLOSERS)
    ellipsis = ELLIPSIS_END.search(end)
    # "World Powers Fuel Syria's Civil War: U.N." ends in an initialism, not a sentence.
    if end[-1:] in SENTENCE_END and not ellipsis and not INITIALISM_END.search(end):
        return False
    if ellipsis:
        # "As They Say, With Friends Like These …": a headline only when every word is capitalised.
        title_case = _title_case(end[:ellipsis.start()].split(), share=1.0, last_capitalised=True)
    else:
        title_case = _title_case(words, share=1.0 if strict else TITLE_CASE_SHARE, last_capitalised=True)
    # The costlier pattern checks come last, for the few lines that look like headlines.
    return title_case and not (URL.search(text) or is_date_line(text) or is_dateline(text) or _is_reads_heading(text))


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
    if len(text) > HEADLINE_MAX_CHARS:
        return False  # before splitting it: most lines asked about are long paragraphs
    words = text.split()
    if len(words) not in SENTENCE_CASE_HEADLINE_WORDS:
        return False
    if text.rstrip(CLOSERS)[-1:] in SENTENCE_END + "?" or URL.search(text):
        return False
    if is_date_line(text) or is_dateline(text) or _is_reads_heading(text):
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

def _stories(units, front_end, title_at, context):
    """The date, the title, the front matter and the stories of the units before the recommended reads.

    The units before `front_end` are the issue's front matter whatever they look
    like; so is anything else before the first story (a preamble, an update note).
    """
    roles = ["front"] * front_end + _roles(units[front_end:])
    date = title = None
    if title_at is not None:
        title = units[title_at].text
    front_matter = []
    stories = []
    for i, (unit, role) in enumerate(zip(units, roles)):
        if role == "headline":
            stories.append(SplitStory(unit.text, []))
        elif role == "paragraph" and stories:
            # A number before a paragraph may belong to its sentence ("10. That is the number of...");
            # a dash or bullet is only layout.
            number = unit.marker if unit.marker[:1].isdigit() else ""
            stories[-1].paragraphs.append(number + unit.text)
        elif not stories and unit.kind != RULE:
            # Before the first story: title lines, blurbs, datelines, greetings, notes; not the
            # site's navigation links that a copied page carries above the issue's title.
            if title_at is None or i >= title_at or not _is_navigation(unit.text):
                front_matter.append(unit.text)
            date = date or _front_date(unit.text, context)
            if title is None and role == "title":
                title = unit.text
    return date, title, front_matter, [story for story in stories if story.paragraphs]


def _is_navigation(text):
    """A site's menu item or masthead ("Executive Summaries", "Op-Eds"): a few words, no sentence,
    no greeting, no date."""
    return (_at_most_words(text, NAVIGATION_MAX_WORDS) and not _ends_sentence(text) and not _is_greeting(text)
            and not is_date_line(text))


def _front_date(text, context):
    return parse_dateline(text, context) or parse_date_line(text, context) or parse_title_date(text, context)


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
        if is_date_line(unit.text) or is_dateline(unit.text):
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
    """The reads of the sections from the first heading on: "Outlet: Title" lines under a reads heading,
    whole titles under a link section, up to the first unit that is neither (a footer, a sign-off)."""
    reads = []
    kind, outlet = None, ""
    for unit in units:
        if unit.kind == RULE:
            continue
        section = _section_kind(unit.text)
        if section:
            kind, outlet = section, _link_section_outlet(unit.text)
            continue
        parts = _read_parts(unit.text) if kind == "reads" else _link_parts(unit.text, outlet)
        if parts is None:
            text, url = _take_url(unit.text)
            if not text and (url or unit.url) and reads and reads[-1].url is None:
                reads[-1].url = url or unit.url  # a bare link on the line under its read
                continue
            break
        read_outlet, title, url = parts
        reads.append(SplitRead(read_outlet, title, url or unit.url))
    return reads


def _link_parts(text, outlet):
    """(outlet, title, url) of a headline-only line in a link section; None for a sentence (a sign-off)."""
    text, url = _take_url(BULLET.sub("", text.strip()))
    text = text.strip(" *_\t\u2022")
    words = text.split()
    if not words or len(words) > HEADLINE_WORDS.stop or text[-1:] in ".,;:" or _is_sign_off(text):
        return None
    return outlet, text, url


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
