import datetime

import pytest

from digest.ingest.document import HEADING, LINE, LIST_ITEM, PARAGRAPH, Block, ReadDocument
from digest.ingest.errors import IngestError
from digest.ingest.readers import read_document
from digest.ingest.splitter import split_digest


def split(path):
    return split_digest(read_document(path.name, path.read_bytes()))


def outline(digest):
    return [(story.headline, len(story.paragraphs)) for story in digest.stories]


def reads(digest):
    return [(read.outlet, read.title, read.url) for read in digest.recommended_reads]


def test_seed_splits_into_its_three_stories_and_six_reads(seed_path):
    digest = split(seed_path)

    assert outline(digest) == [
        ("Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians", 6),
        ("Proposal for Refugee \u2018Safe Zones\u2019 Gains Traction", 8),
        ("Syrian Foreign Minister Begins Two-Day Visit to Russia for Weapons and Money", 8),
    ]
    assert reads(digest) == [
        ("Deutsche Welle", "Syria Looks to Moscow for Help", None),
        ("Al Monitor", "Kurds Vision for Syria Depends on Fate of Kobani", None),
        ("Daily Star", "Safe Zones in Syria: A Humanitarian Zone in Qusair", None),
        ("Al Jazeera", "Nearly Half of Syrian Population Needs Aid", None),
        ("Daily Star", "Two Worlds in Syria\u2019s Aleppo United by Fear", None),
        ("Daily Beast", "Train Syria\u2019s Rebels? Maybe Next Year", None),
    ]
    # The seed states no date; the loader supplies one.
    assert digest.date is None


def test_seed_paragraphs_are_kept_exactly(seed_path):
    digest = split(seed_path)

    assert digest.stories[0].paragraphs[2] == (
        "\u201cThe Syrian Observatory said Tuesday\u2019s air raids had targeted a popular market near Raqqa\u2019s "
        "museum as well as the industrial area where two explosions caused most of the casualties,\u201d the BBC reports."
    )
    assert digest.stories[2].paragraphs[-1] == (
        "Syria\u2019s foreign minister will likely also \u201cask Russia for a loan of $1 billion to stabilize its "
        "devalued currency.\u201d"
    )


# Per fixture: date, title, (headline, paragraph count) per story, (outlet, title, url) per read.
EXPECTED = {
    "2013-08-22-ghouta.eml": (
        datetime.date(2013, 8, 22),
        "Syria Digest, August 22, 2013",
        [
            ("Chemical Attack Near Damascus Kills Hundreds, Opposition Says", 4),
            ("Security Council Calls for \u2018Clarity\u2019 on Alleged Attack", 2),
            ("U.N. Inspectors Already in Damascus", 1),
        ],
        [],
    ),
    "2013-09-10-chemical.txt": (
        datetime.date(2013, 9, 10),
        None,
        [
            ("Russia Proposes International Control of Syria\u2019s Chemical Weapons", 4),
            ("Fighting Continues for Christian Village of Maaloula", 2),
            ("Assad Warns of Retaliation in Charlie Rose Interview", 2),
        ],
        [
            ("New York Times", "Russia\u2019s Proposal on Syria Gives Obama a Way Out", None),
            ("Foreign Affairs", "Why Syria\u2019s Chemical Weapons Are So Hard to Secure", None),
            ("Al-Monitor", "Maaloula\u2019s Christians Caught Between Regime and Rebels", None),
            ("NOW Lebanon", "What Hezbollah Stands to Lose in a U.S. Strike", None),
        ],
    ),
    "2013-12-18-barrel-bombs.txt": (
        datetime.date(2013, 12, 18),
        None,
        [
            ("Regime Barrel Bombs Kill Hundreds in Aleppo Over Four Days", 3),
            ("Islamic Front Seizes Western-Backed Rebels\u2019 Warehouses at Bab al-Hawa", 2),
        ],
        [
            ("The New York Review of Books", "The Rebels Who Stayed in Aleppo",
             "http://www.nybooks.com/articles/2013/12/19/syria-rebels-aleppo/"),
            ("Carnegie Middle East Center", "The Islamic Front Takes Shape", "http://carnegie-mec.org/diwan/53923"),
        ],
    ),
    "2014-01-22-geneva.txt": (
        datetime.date(2014, 1, 22),
        None,
        [
            ("Geneva II Opens: Kerry Says Assad \u201cWill Not Be Part\u201d of a Transition", 5),
            ("Report Alleges \u2018Industrial-Scale Killing\u2019 of Detainees", 2),
            ("Is Iran\u2019s Withdrawn Invitation a Setback for the Talks?", 1),
        ],
        [
            ("Foreign Policy", "Geneva II Is Doomed. Here Is Why It Still Matters",
             "http://foreignpolicy.com/2014/01/21/geneva-ii-is-doomed/"),
            ("The Guardian",
             "Syrian Regime Document Trove Shows Evidence of \u2018Industrial Scale\u2019 Killing of Detainees",
             "http://www.theguardian.com/world/2014/jan/20/evidence-industrial-scale-killing-syria-war-crimes"),
            ("NOW Lebanon", "Why Tehran Wanted a Seat in Montreux", None),
        ],
    ),
    "2014-06-04-election.txt": (
        None,  # no date line: the file name gives it
        "Syria Daily Digest",
        [
            ("Syrians Vote in Presidential Election Held in Government Areas", 4),
            ("Mortar Shells Hit Damascus as Residents Go to the Polls", 1),
            ("Chemical Weapons Removal Stalls With 7.2 Percent Still in Syria", 2),
        ],
        [
            ("The New Yorker", "Assad's Election Day", None),
            ("Reuters", "Syria's Refugees Watch the Election From Afar", None),
            ("Syria Comment", "Who Are the Candidates Running Against Assad?", None),
        ],
    ),
    "2014-08-20-foley.eml": (
        datetime.date(2014, 8, 20),
        "Syria Daily Digest: ISIS Video Shows Killing of James Foley",
        [
            ("ISIS Video Shows Killing of U.S. Journalist James Foley", 3),
            ("Syrian Jets Pound ISIS Positions Near Tabqa Air Base", 2),
            ("U.N. Agency Launches Largest Aid Airlift Into Iraq in a Decade", 1),
        ],
        [
            ("GlobalPost", "Remembering James Foley, a Reporter Who Went Where the Story Was",
             "https://www.pri.org/stories/2014-08-19/james-foley-reporter"),
            ("Foreign Policy", "How ISIS Pays Its Fighters",
             "https://foreignpolicy.com/2014/08/20/how-isis-pays-its-fighters/"),
        ],
    ),
    "2014-12-03-brussels.txt": (
        datetime.date(2014, 12, 3),
        None,
        [
            ("Can the Anti-ISIS Coalition Agree on a Strategy in Brussels?", 4),
            ("U.N. Food Agency Halts Aid to Syrian Refugees: \u2018A Disaster for Families\u2019", 4),
            ("Lebanon Detains Wife and Son of ISIS Leader Abu Bakr al-Baghdadi", 1),
        ],
        [
            ("The Guardian", "Syria\u2019s Refugees Face a Winter Without Food Vouchers",
             "http://www.theguardian.com/world/2014/dec/02/syria-refugees-food-vouchers"),
            ("Foreign Policy", "Turkey\u2019s Price for Joining the Fight Against ISIS",
             "http://foreignpolicy.com/2014/12/02/turkeys-price/"),
            ("Al Monitor", "Kobani Fighters Hold the Line as Winter Approaches", None),
        ],
    ),
    "2015-03-15-four-years.md": (
        datetime.date(2015, 3, 15),
        "Syria Daily Digest",
        [
            ("Four Years On, Syria\u2019s War Has Killed More Than 210,000", 3),
            ("Kerry: \u2018We Have to Negotiate in the End\u2019 With Assad", 2),
        ],
        [
            ("Foreign Policy", "Syria\u2019s Uprising at Four",
             "https://foreignpolicy.com/2015/03/15/syrias-uprising-at-four/"),
            ("The Guardian", "Four Years of War in Syria, in Pictures",
             "https://www.theguardian.com/world/gallery/2015/mar/15/syria-four-years-of-war"),
            ("Al-Monitor", "How the Syrian Opposition Lost Its Way",
             "https://www.al-monitor.com/pulse/originals/2015/03/syria-opposition-four-years.html"),
        ],
    ),
    "2015-05-21-palmyra.txt": (
        datetime.date(2015, 5, 21),
        None,
        [
            ("ISIS Seizes the Ancient City of Palmyra", 3),
            ("Kurdish Forces Advance on ISIS-Held Town of Tal Abyad", 1),
        ],
        [],
    ),
    "2015-10-01-russia.txt": (
        datetime.date(2015, 10, 1),
        None,
        [
            ("Russia Launches First Airstrikes in Syria", 4),
            ("M\u00e9decins Sans Fronti\u00e8res Warns of Hospital Shortages in Hama", 1),
            ("Kurdish Forces Push Back ISIS Near Koban\u00ea", 1),
        ],
        [],
    ),
    "2015-11-18-paris-aftermath.html": (
        datetime.date(2015, 11, 18),
        "Syria Daily Digest \u2014 November 18, 2015",
        [
            ("France Intensifies Airstrikes on ISIS Stronghold of Raqqa", 3),
            ("Russia Says a Bomb Brought Down Its Passenger Jet Over Sinai", 2),
            ("Vienna Talks Set Timetable: \u201cElections Within 18 Months\u201d", 2),
        ],
        [
            ("Foreign Affairs", "How to Defeat ISIS After Paris",
             "https://www.foreignaffairs.com/articles/2015-11-16/how-defeat-isis-after-paris"),
            ("The Atlantic", "What the Vienna Talks Mean for Assad",
             "https://www.theatlantic.com/international/archive/2015/11/vienna-talks-assad/416291/"),
            ("Al-Monitor", "Raqqa Residents Brace for More Strikes", None),
        ],
    ),
    "2016-02-12-munich.txt": (
        datetime.date(2016, 2, 12),
        None,
        [
            ("Munich Talks: Powers Agree on \u2018Cessation of Hostilities\u2019 Within a Week", 4),
            ("Report Puts Syria\u2019s Death Toll at 470,000", 2),
            ("Tens of Thousands Stranded at the Turkish Border as Aleppo Offensive Continues", 1),
        ],
        [
            ("Foreign Policy", "The Munich Deal Is a Victory for Russia",
             "https://foreignpolicy.com/2016/02/12/the-munich-deal-is-a-victory-for-russia/"),
            ("The Atlantic", "Why the Syrian Death Toll Is So Hard to Count", None),
            ("War on the Rocks", "What the Aleppo Offensive Means for the Opposition", None),
        ],
    ),
    "2016-07-20-castello-road.md": (
        datetime.date(2016, 7, 20),
        "Syria Daily Digest",
        [
            ("Aleppo Besieged as Government Forces Cut the Castello Road", 2),
            ("U.S.-Led Strikes Near Manbij Reportedly Kill Dozens of Civilians", 1),
            ("Rebel Group Says It Will Investigate Video of Boy's Beheading", 2),
        ],
        [
            ("Washington Post", "Inside the Siege of Aleppo",
             "https://www.washingtonpost.com/world/middle_east/aleppo-siege/"),
            ("Middle East Eye", "What the Manbij Strikes Mean for the Kurds", None),
            ("New York Times", "Who Are the Nour al-Din al-Zinki Rebels?",
             "https://www.nytimes.com/2016/07/20/world/middleeast/zinki-rebels.html"),
        ],
    ),
    "2016-12-14-aleppo.html": (
        datetime.date(2016, 12, 14),
        None,  # the page's <title> is an unfilled mailing-tool placeholder
        [
            ("Aleppo Evacuation Deal Collapses as Shelling Resumes", 3),
            ("U.N. Says Pro-Government Forces Killed 82 Civilians in East Aleppo", 2),
            ("ISIS Retakes Palmyra", 1),
        ],
        [
            ("The Guardian", "Aleppo\u2019s Last Days: Messages From the Besieged",
             "https://www.theguardian.com/world/2016/dec/13/aleppo-messages-from-the-besieged"),
            ("Al Jazeera", "How Palmyra Fell to ISIS Again",
             "https://www.aljazeera.com/news/2016/12/palmyra-fell-isil-161212.html"),
            ("Syria Deeply", "What Comes After Aleppo?",
             "https://www.newsdeeply.com/syria/articles/2016/12/14/what-comes-after-aleppo"),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_digest_splits_exactly(fixtures_dir, name):
    date, title, stories, recommended = EXPECTED[name]

    digest = split(fixtures_dir / "digests" / name)

    assert (digest.date, digest.title) == (date, title)
    assert outline(digest) == stories
    assert reads(digest) == recommended


def test_hard_wrapped_paragraphs_are_joined_with_single_spaces(fixtures_dir):
    digest = split(fixtures_dir / "digests" / "2016-02-12-munich.txt")

    assert digest.stories[0].paragraphs[0] == (
        "World powers meeting in Munich agreed early on Friday to seek a nationwide \u201ccessation of "
        "hostilities\u201d in Syria to begin within a week, and to rapidly expand humanitarian access to "
        "besieged towns, Reuters reports."
    )


def test_wrapped_text_without_blank_lines_splits_at_short_lines_and_rejoins_broken_hyphens(fixtures_dir):
    digest = split(fixtures_dir / "digests" / "2013-12-18-barrel-bombs.txt")

    assert digest.stories[1].paragraphs == [
        "Fighters of the newly formed Islamic Front took over warehouses and a border crossing held by the "
        "Western-backed Supreme Military Council at Bab al-Hawa on the Turkish border last week, the Wall "
        "Street Journal reports.",
        "The United States and Britain have suspended deliveries of non-lethal aid to rebels in northern "
        "Syria since then.",
    ]


def test_surrounding_whitespace_is_stripped_and_crlf_leaves_no_trace(fixtures_dir):
    digest = split(fixtures_dir / "digests" / "2014-06-04-election.txt")

    assert digest.stories[0].paragraphs[3] == (
        'U.S. Secretary of State John Kerry, speaking in Beirut, called the election "a great big zero."'
    )
    assert not any("\r" in p for story in digest.stories for p in story.paragraphs)


def test_markdown_emphasis_and_links_are_reduced_to_their_words(fixtures_dir):
    digest = split(fixtures_dir / "digests" / "2015-03-15-four-years.md")

    assert digest.stories[0].paragraphs[0] == (
        "The Syrian Observatory for Human Rights said on Sunday that more than 210,000 people have been killed "
        "since the uprising began in March 2011, Reuters reports."
    )


def test_a_digest_with_nothing_story_shaped_is_refused(fixtures_dir):
    path = fixtures_dir / "digests" / "bad" / "no-stories.txt"

    with pytest.raises(IngestError, match="^no stories found"):
        split(path)


def _document(*blocks, **fields):
    return ReadDocument(blocks=list(blocks), source_text="", source_format="text", **fields)


def test_a_headline_without_paragraphs_is_not_a_story():
    doc = _document(
        Block("Syria Daily Digest"),
        Block("Aleppo Siege Tightens as Castello Road Falls"),
        Block("Government forces cut the last road into eastern Aleppo, Reuters reports."),
        Block("Kerry and Lavrov to Meet Again in Geneva"),
    )

    digest = split_digest(doc)

    assert digest.title == "Syria Daily Digest"
    assert outline(digest) == [("Aleppo Siege Tightens as Castello Road Falls", 2)]
    assert digest.stories[0].paragraphs[1] == "Kerry and Lavrov to Meet Again in Geneva"


def test_reader_metadata_fills_what_the_text_does_not_say():
    doc = _document(
        Block("Assad Wins Third Term With 88.7 Percent", HEADING, level=2),
        Block("Syria's parliament speaker announced the result on Wednesday, SANA reports.", PARAGRAPH),
        title="Syria Digest", date=datetime.date(2014, 6, 4),
    )

    digest = split_digest(doc)

    assert (digest.title, digest.date) == ("Syria Digest", datetime.date(2014, 6, 4))


def test_a_date_line_in_the_text_wins_over_the_reader_date():
    doc = _document(
        Block("Thursday, June 5, 2014"),
        Block("Assad Sworn In for a Third Term"),
        Block("President Bashar al-Assad was sworn in for a third seven-year term, AFP reports."),
        date=datetime.date(2014, 6, 4),
    )

    assert split_digest(doc).date == datetime.date(2014, 6, 5)


@pytest.mark.parametrize(
    "heading", ["Recommended Reads:", "Recommended Reads", "RECOMMENDED READS", "Recommended reading:", "Further Reading"]
)
def test_reads_heading_variants(heading):
    doc = _document(
        Block("Opposition Names New Interim Government Head"),
        Block("The Syrian National Coalition elected Ahmad Tohme as interim prime minister, Reuters reports."),
        Block(heading),
        Block("* Al Monitor: The Coalition's New Cabinet"),
    )

    assert reads(split_digest(doc)) == [("Al Monitor", "The Coalition's New Cabinet", None)]


def test_reads_keep_the_block_url_and_end_at_the_first_line_that_is_not_a_read():
    doc = _document(
        Block("Opposition Names New Interim Government Head", HEADING, level=2),
        Block("The Syrian National Coalition elected Ahmad Tohme as interim prime minister.", PARAGRAPH),
        Block("Recommended Reads", HEADING, level=3),
        Block("Al Monitor: The Coalition's New Cabinet", LIST_ITEM, url="https://www.al-monitor.com/cabinet"),
        Block("Syria Comment: Who Is Ahmad Tohme?", LIST_ITEM),
        Block("You are receiving this because you signed up for the digest.", PARAGRAPH),
        Block("Unsubscribe: https://digest.example.org/unsubscribe", LINE),
    )

    assert reads(split_digest(doc)) == [
        ("Al Monitor", "The Coalition's New Cabinet", "https://www.al-monitor.com/cabinet"),
        ("Syria Comment", "Who Is Ahmad Tohme?", None),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Reuters: Assad Wins Vote http://reut.rs/1kq", ("Reuters", "Assad Wins Vote", "http://reut.rs/1kq")),
        ("Reuters: Assad Wins Vote (http://reut.rs/1kq)", ("Reuters", "Assad Wins Vote", "http://reut.rs/1kq")),
        ("Reuters: Assad Wins Vote <http://reut.rs/1kq>", ("Reuters", "Assad Wins Vote", "http://reut.rs/1kq")),
        ("Reuters: Assad Wins Vote - http://reut.rs/1kq", ("Reuters", "Assad Wins Vote", "http://reut.rs/1kq")),
        ("Reuters: [Assad Wins Vote](http://reut.rs/1kq)", ("Reuters", "Assad Wins Vote", "http://reut.rs/1kq")),
        ("- Daily Star: Safe Zones in Syria: A Humanitarian Zone", ("Daily Star", "Safe Zones in Syria: A Humanitarian Zone", None)),
        # A spaced dash separates like a colon; whichever comes first splits, the title keeps the other.
        ("Reuters \u2013 Assad Wins Vote", ("Reuters", "Assad Wins Vote", None)),
        ("BBC News - Who Is Fighting Whom in Syria?", ("BBC News", "Who Is Fighting Whom in Syria?", None)),
        ("The Guardian \u2014 Why Putin Went In: Five Theories", ("The Guardian", "Why Putin Went In: Five Theories", None)),
        ("Foreign Policy: Syria \u2013 The View From Moscow", ("Foreign Policy", "Syria \u2013 The View From Moscow", None)),
        ("Al-Monitor: Anti-ISIS Coalition Falters", ("Al-Monitor", "Anti-ISIS Coalition Falters", None)),
    ],
)
def test_read_lines_carrying_a_url(line, expected):
    doc = _document(
        Block("Assad Wins Presidential Vote"),
        Block("Assad won 88.7 percent of the vote, parliament speaker Jihad Laham said."),
        Block("Recommended Reads:"),
        Block(line),
    )

    assert reads(split_digest(doc)) == [expected]


def test_the_mailing_footer_after_the_last_story_goes_with_everything_under_it():
    doc = _document(
        Block("View this email in your browser"),
        Block("Aid Convoy Reaches Besieged Madaya"),
        Block("A joint UN and Red Crescent convoy delivered food and medicine to Madaya on Wednesday, the ICRC said."),
        Block("You are receiving this because you subscribed to the Syria Digest mailing list."),
        Block("Our mailing address is:"),
        Block("Syria Digest"),
        Block("1 Example Plaza, New York, NY 10001"),
        Block("Unsubscribe | Update your preferences"),
    )

    digest = split_digest(doc)

    assert outline(digest) == [("Aid Convoy Reaches Besieged Madaya", 1)]
    assert digest.title is None  # the "view in browser" line above the stories went too


def test_a_footer_phrase_among_the_stories_takes_only_its_own_line():
    doc = _document(
        Block("Aid Convoy Reaches Besieged Madaya"),
        Block("A joint UN and Red Crescent convoy delivered food and medicine to Madaya on Wednesday, the ICRC said."),
        Block("Photo \u00a9 AFP"),
        Block("Kerry and Lavrov Meet in Geneva"),
        Block("The two ministers met for five hours on Friday and agreed to meet again next week, "
              "a State Department official told reporters in Geneva."),
    )

    assert outline(split_digest(doc)) == [
        ("Aid Convoy Reaches Besieged Madaya", 1), ("Kerry and Lavrov Meet in Geneva", 1),
    ]


def test_sentence_case_headlines_are_found_by_their_place_between_sentences():
    doc = _document(
        Block("Turkey shells Kurdish positions near Azaz"),
        Block("Turkish artillery shelled YPG positions around Azaz on Friday, Reuters reports."),
        Block("Aid workers said the camps along the border were"),  # a sentence cut short, not a headline
        Block("far beyond capacity."),
        Block("The shelling continued on Saturday."),
        Block("Aid reaches five besieged towns"),
        Block("Convoys reached Madaya, Zabadani, Moadamiya, Foua and Kefraya on Wednesday, the ICRC said."),
        Block("Talks are expected to resume on"),  # ends on a minor word
        Block("Geneva is the likely venue."),
    )

    assert outline(split_digest(doc)) == [
        ("Turkey shells Kurdish positions near Azaz", 4),
        ("Aid reaches five besieged towns", 3),
    ]


def test_list_numbers_leave_headlines_but_stay_on_paragraphs():
    doc = _document(
        Block("1. Rebels Seize Central Prison in Aleppo"),
        Block("Islamist rebels stormed Aleppo's central prison on Thursday."),
        Block("10. That is the number of suicide bombs used in the assault, according to Reuters."),
        Block("- Government forces shelled the area afterwards, activists said."),
    )

    assert split_digest(doc).stories[0].headline == "Rebels Seize Central Prison in Aleppo"
    assert split_digest(doc).stories[0].paragraphs[1:] == [
        "10. That is the number of suicide bombs used in the assault, according to Reuters.",
        "Government forces shelled the area afterwards, activists said.",
    ]


def _blank_lines_between(text):
    return "\n\n".join(text.splitlines())


def _wrapped(width, separator):
    def wrap(text):
        import textwrap

        return separator.join(textwrap.fill(line, width) for line in text.splitlines())

    return wrap


@pytest.mark.parametrize(
    ("layout", "encoding"),
    [
        (_blank_lines_between, "utf-8"),
        (lambda text: text.replace("\n", "\r\n"), "cp1252"),
        (lambda text: text.replace("\n", "\r"), "utf-8-sig"),
        (_wrapped(72, "\n\n"), "utf-8"),
        (_wrapped(60, "\n\n"), "cp1252"),
    ],
    ids=["blank-lines", "crlf-cp1252", "cr-bom", "wrapped-72", "wrapped-60-cp1252"],
)
def test_the_seed_splits_the_same_in_any_layout_and_encoding(seed_path, layout, encoding):
    original = split(seed_path)
    data = layout(seed_path.read_text(encoding="utf-8")).encode(encoding)

    digest = split_digest(read_document("digest.txt", data))

    assert [(s.headline, s.paragraphs) for s in digest.stories] == [(s.headline, s.paragraphs) for s in original.stories]
    assert reads(digest) == reads(original)


@pytest.mark.parametrize("width", [66, 78])
def test_wrapped_seed_without_blank_lines_keeps_stories_reads_and_every_word(seed_path, width):
    """Without blank lines, a paragraph whose last line happens to be full cannot be told from one that
    goes on, and may be joined to the next; headlines, reads and the words themselves must still come out."""
    original = split(seed_path)
    data = _wrapped(width, "\n")(seed_path.read_text(encoding="utf-8")).encode("utf-8")

    digest = split_digest(read_document("digest.txt", data))

    assert [(s.headline, " ".join(s.paragraphs)) for s in digest.stories] == [
        (s.headline, " ".join(s.paragraphs)) for s in original.stories
    ]
    assert reads(digest) == reads(original)


# Front matter and the layouts of real archive issues.

def text_digest(text, **kwargs):
    return split_digest(ReadDocument([Block(line) for line in text.split("\n")], text, "text", **kwargs))


def test_title_blurb_and_dateline_are_front_matter_not_a_story():
    digest = text_digest(
        "Executive Summary for December 24th\n\n"
        "To give you an overview of the latest news, we have organized the developments in a curated summary.\n\n"
        "Published on Dec. 24, 2013 Read time Approx. 2 minutes\n\n"
        "Air Raids on Aleppo Continue\n\nActivists reported dozens dead as the raids went on.\n"
    )

    assert outline(digest) == [("Air Raids on Aleppo Continue", 1)]
    assert digest.title == "Executive Summary for December 24th"
    assert digest.date == datetime.date(2013, 12, 24)
    assert digest.front_matter[0] == "Executive Summary for December 24th"
    assert digest.front_matter[-1].startswith("Published on")


def test_greeting_and_welcome_are_front_matter():
    digest = text_digest(
        "Dear Readers,\n\nWelcome to our weekly newsletter. We have rounded up the week's stories.\n\n"
        "Checkpoint Arrests Rise Around Homs\n\nResidents describe a new wave of arrests at checkpoints.\n"
    )

    assert outline(digest) == [("Checkpoint Arrests Rise Around Homs", 1)]
    assert digest.front_matter == ["Dear Readers,", "Welcome to our weekly newsletter. We have rounded up the week's stories."]


def test_update_note_under_the_dateline_is_front_matter():
    digest = text_digest(
        "Published on March 14, 2017\n"
        "This version has been updated to include figures released on Tuesday.\n"
        "Astana Talks Open Without the Rebels\n"
        "A third round of talks opened on Tuesday without the armed opposition.\n"
    )

    assert outline(digest) == [("Astana Talks Open Without the Rebels", 1)]
    assert digest.front_matter[-1].startswith("This version has been updated")


def test_headlines_running_on_into_their_first_paragraph_are_split_off():
    digest = text_digest(
        "Two Million More Refugees Expected Next Year. The U.N. aid chief said more Syrians would flee in 2014.\n\n"
        "She said 3.2 million were expected to register by the end of the year.\n\n"
        "Gen. Idris Meets Rebel Commanders. The head of the rebels' military council met commanders in Idlib.\n"
    )

    assert outline(digest) == [("Two Million More Refugees Expected Next Year", 2), ("Gen. Idris Meets Rebel Commanders", 1)]
    assert digest.stories[0].paragraphs[0].startswith("The U.N. aid chief")


def test_one_title_case_opening_sentence_is_not_a_run_in_headline():
    digest = text_digest(
        "Rebels Advance in Idlib\n\nThe Rebels Advance. Then the army fell back toward the coast, officials said.\n\n"
        "Aid Reaches Madaya\n\nA convoy reached the besieged town on Monday.\n"
    )

    assert outline(digest) == [("Rebels Advance in Idlib", 1), ("Aid Reaches Madaya", 1)]


def test_a_preamble_above_the_issue_title_gives_no_run_in_headline():
    digest = text_digest(
        "Dear Deeply Readers,\n\nWelcome to the Archive of Syria Deeply. The site is kept as a public record of the war.\n\n"
        "Executive Summary for October 2nd\n\nPublished on Oct. 2, 2013 Read time Approx. 2 minutes\n\n"
        "Kerry Meets Lavrov in Bali. The two ministers met on the sidelines of an economic summit on Monday.\n\n"
        "Rebels Regroup North of Hama. Commanders said they had moved fighters toward the highway overnight.\n"
    )

    assert outline(digest) == [("Kerry Meets Lavrov in Bali", 1), ("Rebels Regroup North of Hama", 1)]
    assert digest.date == datetime.date(2013, 10, 2)
    assert digest.front_matter[1].startswith("Welcome to the Archive of Syria Deeply.")


def test_a_run_in_headline_may_end_in_an_initialism_but_does_not_stop_inside_one():
    digest = text_digest(
        "France Backs a U.S. Strike. The French parliament debates the plan on Wednesday afternoon.\n\n"
        "Polio Confirmed in the East: W.H.O. The agency said tests confirmed ten cases among young children.\n"
    )

    assert outline(digest) == [("France Backs a U.S. Strike", 1), ("Polio Confirmed in the East: W.H.O.", 1)]
    assert digest.stories[1].paragraphs == ["The agency said tests confirmed ten cases among young children."]


def test_a_greeting_before_a_colon_is_no_label():
    digest = text_digest(
        "Dear Readers: Here is this week's summary of the war in Syria.\n\n"
        "Talks in Riyadh: Opposition groups met in the Saudi capital on Wednesday to pick a delegation.\n\n"
        "Aid to Madaya: A convoy of forty trucks crossed the last checkpoint on Monday night.\n"
    )

    assert outline(digest) == [("Talks in Riyadh", 1), ("Aid to Madaya", 1)]
    assert digest.front_matter == ["Dear Readers: Here is this week's summary of the war in Syria."]


def test_a_title_case_line_with_nothing_under_it_does_not_outvote_a_run_in_headline():
    digest = text_digest(
        "Kerry Meets Lavrov in Bali. The two ministers met on the sidelines of an economic summit on Monday.\n\n"
        "A Revolution Eclipsed by Civil War\n"
    )

    assert [story.headline for story in digest.stories] == ["Kerry Meets Lavrov in Bali"]
    assert digest.stories[0].paragraphs[0].startswith("The two ministers met")


def test_a_sentence_ending_in_an_initialism_or_an_ellipsis_stays_a_paragraph():
    digest = text_digest(
        "Aid Reaches Madaya\n\nThe convoy was organised by the U.N.\n\nMost of it was flour and medicine...\n\n"
        "Talks Resume in Geneva\n\nDelegations returned to the table on Friday.\n"
    )

    assert outline(digest) == [("Aid Reaches Madaya", 2), ("Talks Resume in Geneva", 1)]


def test_day_labels_in_a_digest_of_standalone_headlines_stay_in_their_paragraphs():
    digest = text_digest(
        "Talks Resume in Geneva\n\nMonday: Delegations returned to the table after a week.\n\n"
        "Aid Reaches Madaya\n\nTuesday: A convoy of forty trucks crossed the last checkpoint.\n"
    )

    assert outline(digest) == [("Talks Resume in Geneva", 1), ("Aid Reaches Madaya", 1)]
    assert digest.stories[0].paragraphs == ["Monday: Delegations returned to the table after a week."]


def test_weekly_link_section_gives_reads_of_the_outlet_it_names_and_sign_off_is_nothing():
    digest = text_digest(
        "Geneva Talks Postponed Again\n\nThe U.N. envoy said talks would not begin as planned.\n\n"
        "More Recent Stories to Look Out for at Syria Deeply\n\n"
        "\u2022 Daraya\u2019s Last Doctors\n\u2022 Q&A: What a Cease-Fire Would Need\n\n"
        "Find our new reporting and analysis every weekday at our website.\n"
        "You can reach our team with any comments or suggestions at team@example.org.\n"
    )

    assert outline(digest) == [("Geneva Talks Postponed Again", 1)]
    assert reads(digest) == [
        ("Syria Deeply", "Daraya\u2019s Last Doctors", None),
        ("Syria Deeply", "Q&A: What a Cease-Fire Would Need", None),
    ]


def test_sign_off_after_the_last_story_is_not_a_paragraph():
    digest = text_digest(
        "Barrel Bombs Hit Aleppo Market\n\nAt least 70 people were killed on Saturday, activists said.\n\n"
        "Thanks for reading,\nThe Brief Editors\n"
    )

    assert outline(digest) == [("Barrel Bombs Hit Aleppo Market", 1)]


def test_copied_page_furniture_is_dropped():
    digest = text_digest(
        "Rebels Take a Town\n\nRebels took the town on Sunday, monitors said, after two days of fighting.\n\n"
        "Share\nTwitter\nEmail\n\nRelated Articles\nExecutive Summary for December 18th\n"
        "This site uses cookies to improve your experience.\n"
    )

    assert outline(digest) == [("Rebels Take a Town", 1)]


@pytest.mark.parametrize("line", [
    "»  Share  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  «",  # long, but one word
    "SHARE ON FACEBOOK",
    "We use COOKIES: by continuing to browse you accept their use.",
])
def test_furniture_is_dropped_however_much_punctuation_pads_it(line):
    """Lines are compared in full only when they could be furniture: a long line of punctuation round a
    short word still is; a paragraph with more words than any furniture line is not."""
    digest = text_digest(
        f"Rebels Take a Town\n\nRebels took the town on Sunday, monitors said, after two days of fighting.\n\n{line}\n"
    )

    assert digest.stories[0].paragraphs == ["Rebels took the town on Sunday, monitors said, after two days of fighting."]


def test_yearless_title_date_takes_the_context_year():
    digest = text_digest(
        "Executive Summary for Tuesday, December 24th\n\nRebels Take a Town\n\nRebels took the town, monitors said.\n",
        date=datetime.date(2013, 12, 25),
    )

    assert digest.date == datetime.date(2013, 12, 24)
