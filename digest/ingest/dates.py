"""Publication dates as editors and mail programs write them.

A digest states its date in a line at the top ("Wednesday, December 3, 2014"),
in a header or attribute (an e-mail Date header, <time datetime>), or only in
its file name ("digest-2014-12-03.txt"). Each place gets its own function so a
caller can say which it trusts first.
"""
import datetime
import email.utils
import re

# Month names by their first three letters, which every spelling we accept starts with.
MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"

# Each pattern must match the whole line (after trimming), so a sentence that
# merely mentions a date is never taken for the digest's date.
_DATE_LINES = [
    re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.IGNORECASE),  # Wednesday, December 3, 2014
    re.compile(rf"{_WEEKDAY}(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}", re.IGNORECASE),  # 3 December 2014
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"),  # 2014-12-03
]
# A date line may carry a label or trailing punctuation that says nothing about the date.
_LINE_TRIM = re.compile(r"^\s*(?:date|published|issue date|sent)\s*:\s*|[\s.,;:\u2013\u2014-]+$", re.IGNORECASE)
# Longer than any date with its label: not trimmed at all (the trim backtracks over a long run of dots).
DATE_LINE_MAX_CHARS = 80

# Where a title line puts its date beside other words: "Syria Digest - February 10, 2014",
# "Syria Daily, 15 March 2016", "Tuesday, March 15, 2016 \u2014 compiled by the desk".
_TITLE_SEPARATOR = re.compile(r"\s*(?:--?|[\u2013\u2014|\u00b7\u2022,:])\s*")
TITLE_MAX_CHARS = 120

# An ISO date inside a file name, not glued to other digits (hash names such as
# "000_b7d1722ab27881cd" must not yield a date).
_FILENAME_DATE = re.compile(
    r"(?<![0-9])(?P<year>(?:19|20)\d{2})(?P<sep>[-_.]?)(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)(?![0-9])"
)


def _make_date(year, month, day):
    """A real calendar date, or None for a 31 February or a month name we do not know."""
    if isinstance(month, str) and not month.isdigit():
        month = MONTHS.get(month.lower()[:3])
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


def parse_date_line(text: str) -> datetime.date | None:
    """The date a line states, when the line is nothing but a date."""
    line = text.strip()
    if len(line) > DATE_LINE_MAX_CHARS:
        return None
    line = _LINE_TRIM.sub("", line)
    if len(line) > 40:
        return None
    for pattern in _DATE_LINES:
        match = pattern.fullmatch(line)
        if match:
            return _make_date(match["year"], match["month"], match["day"])
    return None


def parse_title_date(text: str) -> datetime.date | None:
    """The date a title or dateline states before or after its other words, set off by a dash, comma or bar.

    Only for the lines above a digest's first story: in a paragraph a date
    beside words is news, not the digest's date.
    """
    line = text.strip(" \t*_#")
    if len(line) > TITLE_MAX_CHARS:
        return None
    for separator in _TITLE_SEPARATOR.finditer(line):
        found = parse_date_line(line[separator.end():]) or parse_date_line(line[:separator.start()])
        if found:
            return found
    return parse_date_line(line)


def date_from_filename(name: str) -> datetime.date | None:
    """An ISO date anywhere in a file name ("digest-2014-12-03.txt", "2014_12_03.eml", "20141203.md")."""
    for match in _FILENAME_DATE.finditer(name):
        found = _make_date(match["year"], match["month"], match["day"])
        if found:
            return found
    return None


def parse_any_date(value: str) -> datetime.date | None:
    """A date from a header or attribute value: RFC 2822, ISO 8601, or a written-out date.

    A timestamp keeps the calendar day of its own offset: a digest sent at
    23:30 in Beirut belongs to that Beirut day, whatever the UTC date is.
    """
    value = (value or "").strip()
    if not value:
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
    return parse_date_line(value)
