import datetime

import pytest

from digest.ingest.dates import (
    check_plausible, date_from_filename, is_date_line, parse_any_date, parse_date_line, parse_dateline, parse_title_date,
)
from digest.ingest.errors import IngestError

DEC_3 = datetime.date(2014, 12, 3)


@pytest.mark.parametrize(
    "line",
    [
        "Wednesday, December 3, 2014",
        "December 3, 2014",
        "3 December 2014",
        "Wednesday 3 December 2014",
        "Dec. 3, 2014",
        "Dec 3 2014",
        "Wed, Dec. 3rd, 2014",
        "3rd of December, 2014",
        "2014-12-03",
        "  Wednesday, December 3, 2014.  ",
        "Date: December 3, 2014",
    ],
)
def test_a_line_that_is_only_a_date_gives_the_date(line):
    assert parse_date_line(line) == DEC_3


def test_september_may_be_written_sept():
    assert parse_date_line("Sept. 14, 2015") == datetime.date(2015, 9, 14)


@pytest.mark.parametrize(
    "line",
    [
        "Aleppo has been divided since December 3, 2014.",  # a sentence that mentions a date
        "On November 11, following talks with President Bashar al-Assad",
        "Syrian Government Strikes on ISIS Targets in Raqqa",
        "February 30, 2015",  # no such day
        "Smarch 3, 2014",
        "",
    ],
)
def test_a_line_that_is_more_than_a_date_gives_none(line):
    assert parse_date_line(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Syria Digest - December 3, 2014", DEC_3),
        ("Daily Digest -- Wednesday 3 December 2014", DEC_3),
        ("Syria Daily, 3 December 2014", DEC_3),
        ("Syria Brief | 2014-12-03", DEC_3),
        ("*Wednesday, December 3, 2014 \u2014 compiled by the Syria desk*", DEC_3),
        ("December 3, 2014", DEC_3),
        ("Syria Digest", None),
        ("Aleppo has been divided since December 3, 2014, the UN said", None),  # the date is not set off
        ("Syria Digest - " + "x" * 120 + " - December 3, 2014", None),  # too long for a title
    ],
)
def test_parse_title_date(line, expected):
    assert parse_title_date(line) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("digest-2014-12-03.txt", DEC_3),
        ("2014_12_03.eml", DEC_3),
        ("archive.zip:week/20141203.md", DEC_3),
        ("Syria Digest 2014.12.03 (final).html", DEC_3),
        ("000_b7d1722ab27881cd.txt", None),  # a hash is not a date
        ("digest-2014-13-03.txt", None),
        ("120141203.txt", None),  # glued to another digit
        ("notes.txt", None),
    ],
)
def test_date_from_filename(name, expected):
    assert date_from_filename(name) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed, 03 Dec 2014 07:15:00 +0200", DEC_3),
        # A late-evening send keeps the sender's calendar day, not UTC's.
        ("Wed, 03 Dec 2014 23:30:00 +0200", DEC_3),
        ("2014-12-03T23:30:00+02:00", DEC_3),
        ("2014-12-03T06:00:00Z", DEC_3),
        ("2014-12-03", DEC_3),
        ("Wednesday, December 3, 2014", DEC_3),
        ("not a date", None),
        ("", None),
    ],
)
def test_parse_any_date(value, expected):
    assert parse_any_date(value) == expected


DEC_24 = datetime.date(2013, 12, 24)


@pytest.mark.parametrize("line", ["Dec. 24, 2013", "24 December 2013", "2013-12-24", "Tuesday, December 24th, 2013",
                                  "Tues. Dec 24 2013", "the 24th of December 2013"])
def test_every_common_english_form_is_read(line):
    assert parse_date_line(line) == DEC_24


@pytest.mark.parametrize(
    ("line", "context", "expected"),
    [
        ("Tuesday, December 24th", datetime.date(2013, 12, 25), DEC_24),
        ("December 24th", datetime.date(2014, 1, 2), DEC_24),  # a January context: the December before
        ("Tuesday, December 24th", datetime.date(2014, 6, 1), DEC_24),  # the weekday picks 2013 over 2014
        ("Tuesday, December 24th", None, None),  # no year anywhere: no date
    ],
)
def test_a_yearless_date_takes_its_year_from_the_context(line, context, expected):
    assert parse_date_line(line, context) == expected
    assert is_date_line(line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published on Dec. 24, 2013 Read time Approx. 2 minutes", DEC_24),
        ("Written by Jane Doe Published on 24 December 2013 Read time Approx. 4 minutes", DEC_24),
        ("Posted: 2013-12-24", DEC_24),
        ("Dec. 24, 2013 | 3 min read", DEC_24),
        ("Written by Jane Doe Published on Read time Approx. 2 minutes", None),  # no date at all
        ("The talks were published on Dec. 24, 2013 and the rebels said they would read them.", None),
        # The label is looked for before the dates are: one glued to its date or in capitals still counts.
        ("PUBLISHEDDec. 24, 2013", DEC_24),
        ("Last updated:Tuesday, December 24, 2013", DEC_24),
        ("Tuesday, December 24, 2013", None),  # a date alone is a date line, not a dateline
    ],
)
def test_a_dateline_gives_its_date(line, expected):
    assert parse_dateline(line) == expected


@pytest.mark.parametrize(
    ("line", "context", "expected"),
    [
        ("Executive Summary for December 24th", datetime.date(2013, 12, 25), DEC_24),
        ("Executive Summary for December 24th", None, None),
        ("Digest for 2015-04-20", None, datetime.date(2015, 4, 20)),
        ("Syria Daily Digest \u2014 Monday, December 8, 2014", None, datetime.date(2014, 12, 8)),
    ],
)
def test_a_title_gives_the_date_it_is_for(line, context, expected):
    assert parse_title_date(line, context) == expected


@pytest.mark.parametrize(
    ("date", "plausible"),
    [
        (datetime.date(1990, 1, 1), True),
        (datetime.date(1989, 12, 31), False),
        (datetime.date(2024, 5, 2), True),  # tomorrow: a digest dated ahead of a time zone
        (datetime.date(2024, 5, 3), False),
        (datetime.date(2104, 12, 24), False),  # the typo for 2014
    ],
)
def test_implausible_dates_are_refused_naming_the_date(date, plausible):
    today = datetime.date(2024, 5, 1)
    if plausible:
        assert check_plausible(date, "stated in the file", today=today) == date
    else:
        with pytest.raises(IngestError, match=f"{date:%Y-%m-%d}.*stated in the file"):
            check_plausible(date, "stated in the file", today=today)
