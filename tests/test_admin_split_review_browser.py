"""The split review in headless Chromium: upload, read the flags, correct (front matter, split,
merge, headline), store; then the stored digest holds the corrections and search finds the
corrected stories. Then the same corrections on the stored digest's own split page."""
import pytest

from digest.models import Digest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REVIEW = "review/2016-04-20-geneva-walkout.md"


def log_in(page, live_server, admin_user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")  # pytest-django's admin_user
    page.get_by_role("button", name="Log in").click()


def stories(section):
    """(headline, paragraph count, flags) of each story row in a review section."""
    rows = section.locator("table.split-stories > tbody > tr")
    return [
        (
            rows.nth(n).locator(".headline-input").input_value(),
            int(rows.nth(n).locator(".paragraph-count").inner_text()),
            rows.nth(n).locator(".story-flags .flag").all_inner_texts(),
        )
        for n in range(rows.count())
    ]


def story_row(section, number):
    return section.locator("table.split-stories > tbody > tr").nth(number - 1)


def test_upload_review_correct_and_store(live_server, admin_user, fresh_index, browser_page, fixtures_dir,
                                         seed_path, tmp_path):
    page = browser_page
    log_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/admin/digest/digest/upload/")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    page.set_input_files("input[name=files]", [fixtures_dir / REVIEW, seed_path, empty])
    page.fill("input[name=date]", "2014-11-26")
    page.get_by_role("button", name="Upload and review").click()

    assert page.locator("h1").inner_text() == "Review the split"
    review, seed, broken = (page.locator(f"#file-{n}") for n in (1, 2, 3))
    assert review.locator(".split-file-meta").inner_text() == "2016-04-20 · Syria Daily Digest, 20 April 2016"
    assert review.locator(".split-summary").inner_text() == "4 stories, 2 recommended reads, 4 flags"
    assert stories(review) == [
        ("In This Issue", 1, [
            "opens like the issue's intro (“In This Issue”): front matter, not a story?",
            "one paragraph only: a story cut short by a line taken for a headline, or a block that is no story?",
        ]),
        ("Opposition Suspends Participation in Geneva Talks", 6, [
            "Paragraph 4: reads like a headline: the start of a story the split missed?",
        ]),
        ("Aid Convoy Reaches Besieged Madaya", 1, [
            "one paragraph only: a story cut short by a line taken for a headline, or a block that is no story?",
        ]),
        ("‘We Are Starving,’ Residents Say", 2, []),
    ]
    assert seed.locator(".split-summary").inner_text() == "3 stories, 6 recommended reads, 0 flags"
    assert broken.locator(".split-file-problem").inner_text() == "Cannot be read: the file is empty. It will be skipped."
    assert Digest.objects.count() == 0

    # The first story is the intro.
    story_row(review, 1).get_by_role("button", name="Mark story 1 as front matter").click()
    review = page.locator("#file-1")
    # After what the splitter took for front matter itself, if anything (the title line).
    assert review.locator(".front-matter p").all_inner_texts()[-2:] == [
        "In This Issue",
        "Good morning. Today: the opposition walks out of the Geneva talks, airstrikes on two markets in Idlib "
        "province kill dozens, and an aid convoy reaches Madaya.",
    ]
    # The flagged paragraph is shown open, with its own split button: it becomes the new story's headline.
    flagged = story_row(review, 1).locator("li.paragraph.flagged")
    assert flagged.locator("p").first.inner_text() == "Airstrikes on Markets in Idlib Province Kill Dozens"
    flagged.get_by_role("button", name="Split story 1 at paragraph 4").click()
    # The Madaya story was cut in two at a pull quote.
    story_row(page.locator("#file-1"), 3).get_by_role("button", name="Merge story 3 with the next").click()
    row = story_row(page.locator("#file-1"), 3)
    row.locator(".headline-input").fill("Aid Reaches Madaya, Where ‘We Are Starving’")
    row.get_by_role("button", name="Save the headline of story 3").click()

    review = page.locator("#file-1")
    assert stories(review) == [
        ("Opposition Suspends Participation in Geneva Talks", 3, []),
        ("Airstrikes on Markets in Idlib Province Kill Dozens", 2, []),
        ("Aid Reaches Madaya, Where ‘We Are Starving’", 4, [
            "Paragraph 2: reads like a headline: the start of a story the split missed?",
        ]),
    ]

    page.get_by_role("button", name="Store 2 digests").click()
    rows = page.locator("#upload-results tbody tr")
    assert [rows.nth(n).locator("td").nth(1).inner_text() for n in range(3)] == ["created", "created", "error"]
    digest = Digest.objects.get(date="2016-04-20")
    assert [(s.headline, len(s.paragraphs)) for s in digest.stories.all()] == [
        ("Opposition Suspends Participation in Geneva Talks", 3),
        ("Airstrikes on Markets in Idlib Province Kill Dozens", 2),
        ("Aid Reaches Madaya, Where ‘We Are Starving’", 4),
    ]
    assert digest.intro.startswith("In This Issue\n\nGood morning.")

    page.goto(f"{live_server.url}/search/?q=Kafranbel")
    assert page.locator(".hit-headline").all_inner_texts() == ["Airstrikes on Markets in Idlib Province Kill Dozens"]
    page.goto(f"{live_server.url}/search/?q=grass+leaves")
    assert page.locator(".hit-headline").all_inner_texts() == ["Aid Reaches Madaya, Where ‘We Are Starving’"]


def test_correct_a_stored_digest_from_its_admin_page(live_server, admin_user, fresh_index, browser_page,
                                                     fixtures_dir):
    page = browser_page
    log_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/admin/digest/digest/upload/")
    page.set_input_files("input[name=files]", [fixtures_dir / REVIEW])
    page.get_by_role("button", name="Upload and review").click()
    page.get_by_role("button", name="Store 1 digest").click()
    page.locator("#upload-results").get_by_role("link").click()  # the stored digest's admin page

    assert "4 flags" in page.locator(".field-split_flags").inner_text()
    page.get_by_role("link", name="Correct the split", exact=True).click()
    section = page.locator("#digest-%d" % Digest.objects.get().pk)
    story_row(section, 1).get_by_role("button", name="Mark story 1 as front matter").click()
    section = page.locator(".split-file")
    story_row(section, 1).locator("li.paragraph.flagged").get_by_role("button", name="Split story 1 at paragraph 4").click()

    assert stories(page.locator(".split-file"))[:2] == [
        ("Opposition Suspends Participation in Geneva Talks", 3, []),
        ("Airstrikes on Markets in Idlib Province Kill Dozens", 2, []),
    ]
    page.goto(f"{live_server.url}/search/?q=Kafranbel")
    assert page.locator(".hit-headline").all_inner_texts() == ["Airstrikes on Markets in Idlib Province Kill Dozens"]
    page.locator(".hit-headline a").click()
    assert page.locator("h1").inner_text() == "Airstrikes on Markets in Idlib Province Kill Dozens"


def test_a_file_without_a_date_is_given_one_on_its_review(live_server, admin_user, fresh_index, browser_page,
                                                          seed_path):
    page = browser_page
    log_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/admin/digest/digest/upload/")
    page.set_input_files("input[name=files]", [seed_path])  # a file that states no date, and no date field
    page.get_by_role("button", name="Upload and review").click()

    section = page.locator("#file-1")
    assert section.locator(".split-file-meta").inner_text() == "no date · Syria Daily Digest"
    assert section.locator(".split-file-problem").inner_text().startswith("Not stored: no publication date")
    section.get_by_label("Publication date").fill("2014-11-26")
    section.get_by_role("button", name="Set the date").click()

    section = page.locator("#file-1")
    assert section.locator(".split-file-meta").inner_text() == "2014-11-26 · Syria Daily Digest"
    assert section.locator(".split-file-problem").count() == 0
    page.get_by_role("button", name="Store 1 digest").click()
    rows = page.locator("#upload-results tbody tr")
    assert rows.nth(0).locator("td").nth(1).inner_text() == "created"
    assert Digest.objects.get().date.isoformat() == "2014-11-26"
