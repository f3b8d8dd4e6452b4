import datetime

import pytest

from digest.ingest.document import HEADING, LINE, LIST_ITEM, PARAGRAPH
from digest.ingest.errors import IngestError
from digest.ingest.readers import read_document
from digest.ingest.sources import inputs_from_bytes


@pytest.fixture
def digests(fixtures_dir):
    return fixtures_dir / "digests"


def read(path, name=None):
    return read_document(name or path.name, path.read_bytes())


def texts(doc, kind=None):
    return [block.text for block in doc.blocks if kind is None or block.kind == kind]


# Plain text

def test_seed_is_read_line_by_line(seed_path):
    doc = read(seed_path)

    assert doc.source_format == "text"
    assert doc.source_text == seed_path.read_text(encoding="utf-8")
    assert {block.kind for block in doc.blocks} == {LINE}
    assert texts(doc)[0] == "Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians"
    assert texts(doc)[-1] == "Daily Beast: Train Syria\u2019s Rebels? Maybe Next Year"


def test_windows_1252_with_crlf_keeps_its_curly_quotes(digests):
    path = digests / "2013-09-10-chemical.txt"
    doc = read(path)

    assert "Al-Moallem said Damascus \u201cwelcomes\u201d the Russian initiative, according to the Associated Press." in texts(doc)
    assert "\u00e2\u20ac" not in doc.source_text  # the mojibake of a UTF-8 quote read as cp1252
    assert not any("\r" in text for text in texts(doc))
    assert doc.source_text == path.read_bytes().decode("cp1252")  # the source stays verbatim, CRLF and all


def test_latin_1_keeps_its_accents(digests):
    doc = read(digests / "2015-10-01-russia.txt")

    assert "M\u00e9decins Sans Fronti\u00e8res Warns of Hospital Shortages in Hama" in texts(doc)
    assert "Kurdish Forces Push Back ISIS Near Koban\u00ea" in texts(doc)


def test_utf8_byte_order_mark_is_dropped(digests):
    doc = read(digests / "2016-02-12-munich.txt")

    assert texts(doc)[0] == "2016-02-12"
    assert not doc.source_text.startswith("\ufeff")


# HTML

def test_html_newsletter_keeps_the_digest_and_drops_the_page_around_it(digests):
    doc = read(digests / "2015-11-18-paris-aftermath.html")

    assert doc.source_format == "html"
    assert (doc.title, doc.newsletter, doc.date) == (
        "Syria Daily Digest \u2014 November 18, 2015", "Syria Deeply", datetime.date(2015, 11, 18)
    )
    assert [(block.text, block.level) for block in doc.blocks if block.kind == HEADING] == [
        ("Syria Daily Digest", 1),
        ("France Intensifies Airstrikes on ISIS Stronghold of Raqqa", 2),
        ("Russia Says a Bomb Brought Down Its Passenger Jet Over Sinai", 2),
        ("Vienna Talks Set Timetable: \u201cElections Within 18 Months\u201d", 2),
        ("Recommended Reads", 3),
    ]
    page_furniture = ["View this email", "Independent news", "Home", "About Us", "Share", "Tweet", "Follow us",
                      "Unsubscribe", "preferences", "Copyright", "Facebook", "France strikes Raqqa again"]
    for text in texts(doc):
        assert not any(word in text for word in page_furniture), text


def test_html_keeps_link_words_inside_sentences(digests):
    doc = read(digests / "2015-11-18-paris-aftermath.html")

    assert texts(doc, PARAGRAPH)[0] == (
        "French warplanes struck ISIS targets in Raqqa for a third night on Tuesday, destroying a command center "
        "and a training camp, the French Defense Ministry said, according to Reuters."
    )
    assert texts(doc, PARAGRAPH)[4].endswith("posted a picture of the device on Twitter.")


def test_html_reads_list_keeps_link_urls(digests):
    doc = read(digests / "2015-11-18-paris-aftermath.html")

    assert [(block.text, block.url) for block in doc.blocks if block.kind == LIST_ITEM] == [
        ("Foreign Affairs: How to Defeat ISIS After Paris",
         "https://www.foreignaffairs.com/articles/2015-11-16/how-defeat-isis-after-paris"),
        ("The Atlantic: What the Vienna Talks Mean for Assad",
         "https://www.theatlantic.com/international/archive/2015/11/vienna-talks-assad/416291/"),
        ("Al-Monitor: Raqqa Residents Brace for More Strikes", None),
    ]


def test_mail_editor_html_bold_lines_are_headings_and_the_date_element_is_read(digests):
    doc = read(digests / "2016-12-14-aleppo.html")

    assert (doc.title, doc.date) == (None, datetime.date(2016, 12, 14))
    assert texts(doc, HEADING) == [
        "Aleppo Evacuation Deal Collapses as Shelling Resumes",
        "U.N. Says Pro-Government Forces Killed 82 Civilians in East Aleppo",
        "ISIS Retakes Palmyra",
        "Recommended Reads:",
    ]
    assert "Shi\u2019ite villages" in texts(doc, PARAGRAPH)[2]  # windows-1252 page
    assert not any("unsubscribe" in text.lower() or "browser" in text for text in texts(doc))


def test_html_saved_as_txt_is_read_as_html(digests):
    doc = read(digests / "2015-05-21-palmyra.txt")

    assert doc.source_format == "html"
    assert texts(doc, HEADING) == ["ISIS Seizes the Ancient City of Palmyra", "Kurdish Forces Advance on ISIS-Held Town of Tal Abyad"]


# E-mail

def test_email_prefers_the_quoted_printable_html_part(digests):
    doc = read(digests / "2014-08-20-foley.eml")

    assert doc.source_format == "email"
    assert doc.title == "Syria Daily Digest: ISIS Video Shows Killing of James Foley"
    assert doc.date == datetime.date(2014, 8, 20)
    assert doc.newsletter == "Syria Deeply"
    assert texts(doc, HEADING)[0] == "ISIS Video Shows Killing of U.S. Journalist James Foley"
    assert "\u201cWe have never known a braver or more selfless person,\u201d Foley\u2019s mother" in texts(doc, PARAGRAPH)[2]
    assert not any("plain-text version" in text for text in texts(doc))
    assert not any("View this email" in text or "Unsubscribe" in text for text in texts(doc))
    assert "Content-Transfer-Encoding: quoted-printable" in doc.source_text  # the whole message, verbatim


def test_email_falls_back_to_a_base64_text_part_in_its_declared_charset(digests):
    doc = read(digests / "2013-08-22-ghouta.eml")

    assert (doc.title, doc.date, doc.newsletter) == (
        "Syria Digest, August 22, 2013", datetime.date(2013, 8, 22), "Syria Digest Editors"
    )
    assert {block.kind for block in doc.blocks} == {LINE}
    assert texts(doc)[5] == "Security Council Calls for \u2018Clarity\u2019 on Alleged Attack"
    assert "led by \u00c5ke Sellstr\u00f6m arrived" in texts(doc)[-1]


def test_email_without_extension_is_recognised_by_its_headers(digests):
    doc = read(digests / "2013-08-22-ghouta.eml", name="2013-08-22-ghouta")

    assert doc.source_format == "email"


@pytest.fixture
def mailbox_messages(digests):
    data = (digests / "archives" / "inbox-2015-06.mbox").read_bytes()
    return list(inputs_from_bytes("inbox.mbox", data, max_file_bytes=10**6, max_archive_bytes=10**6, max_members=10))


@pytest.mark.parametrize(
    "name",
    ["inbox.mbox:1 Syria Daily Digest 16.06.2015", "inbox.mbox:1 Re: Digest.pdf", "inbox.mbox:1 notes.txt", "INBOX.MBOX:1"],
)
def test_a_message_from_a_mailbox_is_an_email_whatever_its_subject_ends_in(mailbox_messages, name):
    doc = read_document(name, mailbox_messages[0].data)

    assert (doc.source_format, doc.title, doc.date, doc.newsletter) == (
        "email", "Syria Daily Digest: Kurds Take Tal Abyad From ISIS", datetime.date(2015, 6, 16), "Syria Deeply"
    )
    assert texts(doc, HEADING) == [
        "Kurdish Forces Take Tal Abyad From ISIS", "Thousands More Refugees Cross Into Turkey at Akcakale", "Recommended Reads",
    ]
    assert "\u201cTal Abyad is completely liberated,\u201d a YPG spokesman said, according to AFP." in texts(doc, PARAGRAPH)


def test_a_plain_text_message_from_a_mailbox_is_read_from_its_text_part(mailbox_messages):
    doc = read_document(mailbox_messages[1].name, mailbox_messages[1].data)

    assert (doc.source_format, doc.title, doc.date, doc.newsletter) == (
        "email", "Syria Digest, June 17, 2015", datetime.date(2015, 6, 17), "Syria Digest Editors"
    )
    assert texts(doc)[0] == "Assad Government Loses Ground in Daraa Province"


def test_a_zip_member_named_like_mbox_is_not_taken_for_a_mailbox_message():
    with pytest.raises(IngestError, match="^unsupported file type '.pdf'"):
        read_document("week.zip:notes.mbox.pdf", b"%PDF-1.4")


# Markdown

def test_markdown_headings_emphasis_and_links(digests):
    doc = read(digests / "2015-03-15-four-years.md")

    assert doc.source_format == "markdown"
    assert [(block.text, block.level) for block in doc.blocks if block.kind == HEADING] == [
        ("Syria Daily Digest", 1),
        ("Four Years On, Syria\u2019s War Has Killed More Than 210,000", 2),
        ("Kerry: \u2018We Have to Negotiate in the End\u2019 With Assad", 2),
        ("Recommended Reads", 2),
    ]
    assert texts(doc, PARAGRAPH)[0] == "Sunday, March 15, 2015"
    assert texts(doc, PARAGRAPH)[2] == (
        "Almost half of the country\u2019s prewar population has been driven from their homes, according to the "
        "U.N. refugee agency."
    )
    assert [(block.text, block.url) for block in doc.blocks if block.kind == LIST_ITEM][2] == (
        "Al-Monitor: How the Syrian Opposition Lost Its Way",
        "https://www.al-monitor.com/pulse/originals/2015/03/syria-opposition-four-years.html",
    )


def test_markdown_front_matter_gives_title_and_date(digests):
    doc = read(digests / "2016-07-20-castello-road.md")

    assert (doc.title, doc.date) == ("Syria Daily Digest", datetime.date(2016, 7, 20))
    assert texts(doc)[0] == "Aleppo Besieged as Government Forces Cut the Castello Road"


# Refusals

@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "the file is empty"),
        ("blank.txt", "the file is empty"),
        ("screenshot.txt", "this is a PNG image, not a text file"),
        ("utf16-no-bom.txt", "this is a binary file (it contains NUL bytes), not a text file"),
        ("undecodable.txt", "the text encoding could not be worked out (tried UTF-8, Windows-1252, Latin-1); "
                            "save the file as UTF-8 and try again"),
        ("digest.pdf", "unsupported file type '.pdf': digests are read from .txt, .text, .html, .htm, .xhtml, "
                       ".eml, .md, .markdown, .mdown, .mkd"),
    ],
)
def test_unreadable_files_are_refused_with_their_reason(digests, name, message):
    with pytest.raises(IngestError) as refused:
        read(digests / "bad" / name)

    assert str(refused.value) == message


def test_an_eml_that_is_not_a_message_is_refused():
    with pytest.raises(IngestError, match="^this is not an e-mail message"):
        read_document("notes.eml", b"\nJust some notes, no headers at all.\n")


def test_a_furniture_word_on_the_element_holding_the_stories_does_not_drop_them():
    page = b"""<html><body class="has-navbar"><div id="content-with-sidebar">
    <h2>Assad Wins Third Term</h2><p>Assad won 88.7 percent of the vote, SANA reports.</p>
    <h2>Rebels Shell Damascus on Election Day</h2><p>Mortar shells landed in several districts, AFP reports.</p>
    </div><div class="sidebar"><h3>Most Read</h3><p>Last week's digest</p></div></body></html>"""

    doc = read_document("digest.html", page)

    assert texts(doc) == [
        "Assad Wins Third Term", "Assad won 88.7 percent of the vote, SANA reports.",
        "Rebels Shell Damascus on Election Day", "Mortar shells landed in several districts, AFP reports.",
    ]


# Saved pages of a news site's archive.

def archive_page(fixtures_dir):
    return read(fixtures_dir / "archive_issues" / "layouts" / "2014-03-11-archive-page.html")


def test_saved_archive_page_keeps_its_article_and_reads_and_drops_the_site_around_it(fixtures_dir):
    doc = archive_page(fixtures_dir)

    assert texts(doc)[:3] == [
        "Executive Summary for March 11th",
        "A curated summary of the day\u2019s most important Syria developments.",
        "Published on March 11, 2014 Read time Approx. 3 minutes",
    ]
    assert texts(doc, LIST_ITEM) == ["Foreign Affairs: The Syrian Stalemate", "NPR: A Border Town Fills With the Displaced"]
    for furniture in ["Dear Deeply Readers", "cookies", "Related Articles", "Never Miss", "Facebook", "About Us", "\u00a9"]:
        assert not any(furniture in text for text in texts(doc)), furniture


def test_saved_page_title_drops_the_site_name_and_date_comes_from_json_ld(fixtures_dir):
    doc = archive_page(fixtures_dir)

    assert (doc.title, doc.newsletter, doc.date) == ("Executive Summary for March 11th", "Syria Deeply", datetime.date(2014, 3, 11))


def test_saved_page_title_drops_a_section_name_its_own_heading_leaves_out():
    page = (
        "<html><head><title>Executive Summary for May 3rd | Syria Deeply</title>"
        '<meta property="og:site_name" content="News Deeply"></head><body>'
        "<article><h1>Executive Summary for May 3rd</h1><h2>Rebels Take a Town</h2>"
        "<p>Rebels took the town on Sunday, monitors said.</p></article></body></html>"
    ).encode()
    other_heading = page.replace(b"<h1>Executive Summary for May 3rd</h1>", b"<h1>Latest</h1>")

    assert read_document("page.html", page).title == "Executive Summary for May 3rd"
    assert read_document("page.html", other_heading).title == "Executive Summary for May 3rd | Syria Deeply"


def test_page_date_from_article_published_time_before_a_time_element():
    page = (
        b'<html><head><meta property="article:published_time" content="2016-05-03T17:45:00+00:00"></head><body>'
        b"<article><h1>Summary</h1><p>Related: <time>January 1, 2015</time></p>"
        b"<h2>Rebels Take a Town</h2><p>Rebels took the town on Sunday, monitors said.</p></article></body></html>"
    )
    assert read_document("page.html", page).date == datetime.date(2016, 5, 3)


def test_a_mailing_without_article_marks_is_read_whole(digests):
    # No <article>, <main> or article metadata: not a site's page, so no boilerplate removal.
    doc = read(digests / "2016-12-14-aleppo.html")

    assert texts(doc, HEADING)[0] == "Aleppo Evacuation Deal Collapses as Shelling Resumes"


def test_an_email_whose_date_header_overflows_is_read_without_that_date():
    """Found by the atheris run over the e-mail reader: the standard library's Date parsing overflowed."""
    message = (b"From: Syria Daily Digest <digest@example.org>\r\nSubject: Syria Daily Digest\r\n"
               b"Date: Tue, 25 Nov 2014 08:0999999999990:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
               b"Barrel Bombs Fall on Eastern Aleppo\r\n\r\nHelicopters dropped barrel bombs on the Shaar district, "
               b"activists say.\r\n")

    doc = read_document("issue.eml", message)

    assert doc.date is None
    assert (doc.title, doc.newsletter) == ("Syria Daily Digest", "Syria Daily Digest")
    assert "Barrel Bombs Fall on Eastern Aleppo" in texts(doc)


def test_a_page_with_marked_sections_html_parser_does_not_know_is_read_as_a_browser_shows_it():
    """Found by the atheris run over the HTML reader: "<![" with any keyword but SGML's or Outlook's
    made html.parser reject the whole page. A browser reads it as a comment up to the next ">"."""
    page = (b"<![octype html><html><body><![if !mso]><div class='outlook-only'></div><![endif]>"
            b"<h2>Assad Wins Third Term</h2><![ hidden note ]><p>Assad won 88.7 percent of the vote, SANA reports.</p>"
            b"<![%ignored><h2>Rebels Shell Damascus</h2><p>Mortar shells landed, AFP reports.<![CDATA[x]]></p></body></html>")

    doc = read_document("digest.html", page)

    assert texts(doc) == [
        "Assad Wins Third Term", "Assad won 88.7 percent of the vote, SANA reports.",
        "Rebels Shell Damascus", "Mortar shells landed, AFP reports.",
    ]
