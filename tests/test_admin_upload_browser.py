"""The staff upload form in headless Chromium: log in, pick several files, read what happened to each."""
import pytest

from digest.models import Digest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def results(page):
    """(file, result, date, details) for each row of the results table."""
    rows = page.locator("#upload-results tbody tr")
    return [
        tuple(rows.nth(n).locator("td").nth(column).inner_text().strip() for column in (0, 1, 2, 4))
        for n in range(rows.count())
    ]


def upload(page, files):
    """Upload, then store from the review without correcting anything."""
    page.set_input_files("input[name=files]", files)
    page.fill("input[name=date]", "2014-11-26")
    page.get_by_role("button", name="Upload and review").click()
    page.locator("#store-form input[type=submit][value^=Store]").click()
    page.wait_for_selector("#upload-results")


def test_staff_uploads_several_files_then_the_same_again(live_server, admin_user, fresh_index, browser_page,
                                                          seed_path, fixtures_dir, tmp_path):
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")  # pytest-django's admin_user
    page.get_by_role("button", name="Log in").click()
    page.locator("tr.model-digest").get_by_role("link", name="Digests").click()  # the model, not its app
    page.get_by_role("link", name="Upload digests").click()
    assert page.locator("h1").inner_text() == "Upload digests"
    brussels = fixtures_dir / "digests" / "2014-12-03-brussels.txt"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    files = [seed_path, brussels, empty]

    upload(page, files)

    first = results(page)
    assert [row[:3] for row in first] == [
        (seed_path.name, "created", "2014-11-26"),
        (brussels.name, "created", "2014-12-03"),
        ("empty.txt", "error", "\u2014"),
    ]
    assert first[2][3] == "the file is empty"
    stored = {digest.date.isoformat(): digest.title for digest in Digest.objects.all()}
    assert sorted(stored) == ["2014-11-26", "2014-12-03"]
    assert [first[0][3], first[1][3]] == [stored["2014-11-26"], stored["2014-12-03"]]

    upload(page, files)

    again = results(page)
    assert [row[:2] for row in again] == [
        (seed_path.name, "duplicate"), (brussels.name, "duplicate"), ("empty.txt", "error"),
    ]
    assert again[0][3] == (
        f"{stored['2014-11-26']} the same file was already ingested as the digest of 2014-11-26 ({seed_path.name})"
    )
    assert again[2][3] == "the file is empty"
    assert Digest.objects.count() == 2
