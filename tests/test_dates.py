import datetime

import pytest

from digest.ingest.dates import date_from_filename, parse_any_date, parse_date_line, parse_title_date

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
