"""Publication dates as editors, web pages and mail programs write them.

A digest states its date in a line at the top ("Wednesday, December 3, 2014"),
in a dateline ("Published on Dec. 24, 2013 Read time Approx. 2 minutes"), in
its title ("Executive Summary for December 24th", "Digest for 2015-04-20"), in
a header or attribute (an e-mail Date header, <time datetime>, a page's
article:published_time), or only in its file name ("digest-2014-12-03.txt").
Each place gets its own function so a caller can say which it trusts first.

Where a date is in a line is found by pattern, so that a sentence which merely
mentions a date never gives the digest's date; what the words mean is read by
dateutil's parser ("Dec. 24, 2013", "24 December 2013", "3rd of December",
"2013-12-24"). A date written without its year ("Tuesday, December 24th") takes
the year from a context date (a header, the file name, --date) when there is one.
"""
import datetime
import email.utils
import functools
import re

from dateutil import parser as dateutil_parser

from digest.ingest.errors import DateError

# The archive's digests start in the 2010s; a date before this is a typo or another century's date.
EARLIEST_PLAUSIBLE = datetime.date(1990, 1, 1)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?P<weekday_N>(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\.?,?\s+)?"
_YEAR = r"(?:,?\s+(?P<year_N>\d{4}))?"
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

# One date expression, with or without its year. Groups: the words dateutil reads, the year, the
# weekday; "_N" is numbered when the forms are joined into one pattern.
_DATE_FORMS = [
    rf"{_WEEKDAY}(?P<words_N>{_MONTH}\s+{_DAY}){_YEAR}(?![\w-])",  # Tuesday, December 24th, 2013
    rf"{_WEEKDAY}(?:the\s+)?(?P<words_N>{_DAY}(?:\s+of)?\s+{_MONTH}){_YEAR}(?![\w-])",  # 24 December 2013
    r"(?P<iso_N>(?P<year_N>\d{4})-\d{1,2}-\d{1,2})(?![\w-])",  # 2013-12-24
]
_FORMS = [re.compile(form.replace("_N>", ">"), re.IGNORECASE) for form in _DATE_FORMS]
_DATE = re.compile("|".join(f"(?:{form.replace('_N>', f'{i}>')})" for i, form in enumerate(_DATE_FORMS)), re.IGNORECASE)

# A date line may carry a label or trailing punctuation that says nothing about the date.
_LINE_TRIM = re.compile(r"^\s*(?:date|published|issue date|sent)\s*:\s*|[\s.,;:\u2013\u2014-]+$", re.IGNORECASE)
# Longer than any date with its label: not trimmed at all (the trim backtracks over a long run of dots).
DATE_LINE_MAX_CHARS = 80

# Where a title line puts its date beside other words: "Syria Digest - February 10, 2014",
# "Syria Daily, 15 March 2016", "Executive Summary for December 24th", "Digest for 2015-04-20".
_TITLE_SEPARATOR = re.compile(r"\s*(?:--?|[\u2013\u2014|\u00b7\u2022,:])\s*|\s+(?:for|of|on)\s+", re.IGNORECASE)
TITLE_MAX_CHARS = 120

# A dateline: the date of a page or issue with its label, in a line that may also name the author
# and the reading time ("Written by Jane Doe Published on Dec. 24, 2013 Read time Approx. 2 minutes").
_DATELINE_LABEL = re.compile(
    r"\b(?:published|posted|updated|last updated|dated|issued|sent|released)(?:\s+(?:on|at))?\s*:?\s*$", re.IGNORECASE
)
# A dateline's label word anywhere in a line: a line with neither it nor the words below is no
# dateline, and is not searched for dates (the longest pattern here, over every line of a digest's top).
_DATELINE_LABEL_WORD = re.compile(r"\b(?:published|posted|updated|dated|issued|sent|released)", re.IGNORECASE)
_DATELINE_WORDS = re.compile(r"\bread(?:ing)? time\b|\bmin(?:ute)?s?\.? read\b|\bwritten by\b|^by\s", re.IGNORECASE)
DATELINE_MAX_CHARS = 200

# An ISO date inside a file name, not glued to other digits (hash names such as
# "000_b7d1722ab27881cd" must not yield a date).
_FILENAME_DATE = re.compile(
    r"(?<![0-9])(?P<year>(?:19|20)\d{2})(?P<sep>[-_.]?)(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)(?![0-9])"
)


@functools.lru_cache(maxsize=256)
def _parse_words(text, year):
    """dateutil's reading of "December 24th" in `year`. Cached: a splitter asks about the same few
    lines at a digest's top several times, and dateutil takes a fifth of a millisecond each time."""
    return dateutil_parser.parse(text, default=datetime.datetime(year, 1, 1)).date()


def _read(match, context=None):
    """The date a matched date expression means; None for a 31 February, or a yearless date without context."""
    if match is None:
        return None
    groups = {re.sub(r"\d+$", "", name): value for name, value in match.groupdict().items() if value}
    text, year = groups.get("iso") or groups.get("words"), groups.get("year")
    if groups.get("iso"):
        try:
            return datetime.date(*(int(part) for part in text.split("-")))
        except ValueError:
            return None
    try:
        if year:
            return _parse_words(f"{text} {year}", int(year))
        if context is None:
            return None
        return _nearest_year(text, context, groups.get("weekday"))
    except (ValueError, OverflowError):
        return None


def _nearest_year(text, context, weekday):
    """A yearless "December 24th" in the year that puts it nearest the context date (a January
    digest of "December 31st" belongs to the year before); a stated weekday picks among close years."""
    candidates = []
    for year in (context.year - 1, context.year, context.year + 1):
        try:
            candidates.append(_parse_words(text, year))
        except ValueError:  # 29 February
            continue
    if not candidates:
        return None
    if weekday:
        wanted = WEEKDAYS[weekday.lower()[:3]]
        agreeing = [date for date in candidates if date.weekday() == wanted]
        candidates = agreeing or candidates
    return min(candidates, key=lambda date: abs((date - context).days))


def _whole_match(text):
    """The match when `text` is one date expression and nothing else."""
    for form in _FORMS:
        match = form.fullmatch(text)
        if match:
            return match
    return None


def is_date_line(text: str) -> bool:
    """Whether a line is nothing but a date, with or without its year."""
    line = text.strip()
    if len(line) > DATE_LINE_MAX_CHARS:
        return False
    # Only whether it is a date: what date it means is not read (dateutil is the costly part).
    return _whole_match(_LINE_TRIM.sub("", line)) is not None


def parse_date_line(text: str, context: datetime.date | None = None) -> datetime.date | None:
    """The date a line states, when the line is nothing but a date.

    A date without its year ("Tuesday, December 24th") needs a `context` date to give one.
    """
    line = text.strip()
    if len(line) > DATE_LINE_MAX_CHARS:
        return None
    line = _LINE_TRIM.sub("", line)
    if len(line) > 40:
        return None
    return _read(_whole_match(line), context)


def parse_title_date(text: str, context: datetime.date | None = None) -> datetime.date | None:
    """The date a title states before or after its other words, set off by a dash, comma, bar or "for".

    Only for the lines above a digest's first story: in a paragraph a date
    beside words is news, not the digest's date.
    """
    line = text.strip(" \t*_#")
    if len(line) > TITLE_MAX_CHARS:
        return None
    for separator in _TITLE_SEPARATOR.finditer(line):
        found = parse_date_line(line[separator.end():], context) or parse_date_line(line[:separator.start()], context)
        if found:
            return found
    return parse_date_line(line, context)


def is_dateline(text: str) -> bool:
    """Whether a line is a dateline: a labelled date ("Published on ..."), maybe with author and reading time."""
    return _dateline_match(text) is not None


def parse_dateline(text: str, context: datetime.date | None = None) -> datetime.date | None:
    """The date of a dateline ("Published on Dec. 24, 2013 Read time Approx. 2 minutes",
    "Written by Jane Doe Published on 2 June 2015", "Oct. 16th, 2017 | 4 min read")."""
    return _read(_dateline_match(text), context)


def _dateline_match(text):
    line = text.strip(" \t*_#>|")
    if len(line) > DATELINE_MAX_CHARS:
        return None
    if _DATELINE_LABEL_WORD.search(line) is None and _DATELINE_WORDS.search(line) is None:
        return None
    for match in _DATE.finditer(line):
        labelled = _DATELINE_LABEL.search(line[:match.start()])
        if labelled and _only_dateline_words_around(line, labelled) or (
            _DATELINE_WORDS.search(line) and _only_dateline_words_around(line, match)
        ):
            return match
    return None


def _only_dateline_words_around(line, match):
    """Whether what stands before a date or its label is nothing, or an author ("Written by Jane Doe"):
    a dateline, not a sentence that mentions a date ("The talks were published on ...")."""
    before = line[:match.start()].strip(" |\u2022\u00b7-\u2013\u2014,")
    return not before or _DATELINE_WORDS.search(before) is not None and len(before.split()) <= 8


def date_from_filename(name: str) -> datetime.date | None:
    """An ISO date anywhere in a file name ("digest-2014-12-03.txt", "2014_12_03.eml", "20141203.md")."""
    for match in _FILENAME_DATE.finditer(name):
        try:
            return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            continue
    return None


def parse_any_date(value: str, context: datetime.date | None = None) -> datetime.date | None:
    """A date from a header or attribute value: RFC 2822, ISO 8601, or a written-out date.

    A timestamp keeps the calendar day of its own offset: a digest sent at
    23:30 in Beirut belongs to that Beirut day, whatever the UTC date is.
    """
    value = (value or "").strip()
    if not value or len(value) > DATE_LINE_MAX_CHARS:
        return None
    iso = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        return datetime.datetime.fromisoformat(iso).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    return parse_date_line(value, context)


def check_plausible(date: datetime.date, where: str, today: datetime.date | None = None) -> datetime.date:
    """The date, or DateError naming it when no digest can have it: before 1990, or after tomorrow.

    A typo such as "2104" would otherwise pin the digest above every real one
    and stretch the archive's month histogram over decades of empty months.
    """
    latest = (today or datetime.date.today()) + datetime.timedelta(days=1)
    if date < EARLIEST_PLAUSIBLE:
        reason = f"before {EARLIEST_PLAUSIBLE.year}, earlier than any digest"
    elif date > latest:
        reason = "in the future"
    else:
        return date
    raise DateError(
        f"implausible publication date {date:%Y-%m-%d} ({where}): it is {reason}; correct the date "
        "in the file, or give the right one with --date (or the upload's date field)"
    )
