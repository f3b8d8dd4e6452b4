"""GET /api/search/export.csv: every match of the search as CSV, streamed in chunks, safe to open in a spreadsheet."""
import csv
import io

import pytest
from django.contrib.auth.models import Group
from search_engines import search_engine
from test_search_contract import SOLR_ENGINE, nothing_listens

from accounts.roles import ANALYSTS
from accounts.tokens import issue_token
from digest.models import Mention, Story
from search.contract import ENGINE_UNAVAILABLE, EngineUnavailable
from search.export import COLUMNS, neutralised, plain_snippet
from search.indexing import update_stories

EXPORT = "/api/search/export.csv"


def export(client, query="", **headers):
    response = client.get(f"{EXPORT}?{query}" if query else EXPORT, **headers)
    assert response.status_code == 200, response.content
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows[0] == list(COLUMNS)
    return [dict(zip(COLUMNS, row)) for row in rows[1:]]


def total(client, query=""):
    return client.get(f"/api/search/?{query}").json()["total"]


@pytest.mark.parametrize("query", ["", "q=Aleppo", "place=Aleppo&sort=oldest", "q=Syria&not_place=Aleppo",
                                   "from=2014-12-01&to=2014-12-31", "q=zzzznothing"])
def test_the_rows_are_the_search_total_in_the_search_order_across_chunks(client, search_archive, monkeypatch, query):
    monkeypatch.setattr("search.views.CHUNK", 4)  # 22 stories: several chunks and a short last one
    rows = export(client, query)
    assert len(rows) == total(client, query)
    assert len({row["id"] for row in rows}) == len(rows)
    first_page = client.get(f"/api/search/?{query}").json()["results"]
    assert [int(row["id"]) for row in rows[:len(first_page)]] == [hit["id"] for hit in first_page]


def test_a_row_has_absolute_urls_lists_joined_and_a_plain_snippet(client, search_archive):
    story = search_archive["Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians"]
    row = next(row for row in export(client, "q=Raqqa") if row["id"] == str(story.pk))
    assert row == {
        "id": str(story.pk),
        "url": f"http://testserver{story.get_absolute_url()}",
        "digest_date": "2014-11-18",
        "headline": story.headline,
        "places": "Raqqa",
        "actors": "ISIS; Syrian Observatory for Human Rights",
        "sources": "BBC; Reuters",
        "snippet": row["snippet"],
    }
    api_hit = next(hit for hit in client.get("/api/search/?q=Raqqa").json()["results"] if hit["id"] == story.pk)
    assert "<mark>Raqqa</mark> on Tuesday" in api_hit["snippet"]
    assert row["snippet"] == plain_snippet(api_hit["snippet"])
    assert row["snippet"].startswith("…ISIS targets on the northeastern city of Raqqa on Tuesday, Reuters reports.\n\n")


def test_the_export_ignores_the_page_and_reads_the_database_as_it_is_now(client, search_archive):
    story = search_archive["Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians"]
    Story.objects.filter(pk=story.pk).update(headline="Corrected headline")  # not re-indexed
    Mention.objects.filter(story=story, entity__kind="source").delete()
    rows = export(client, "q=Raqqa&page=1")
    row = next(row for row in rows if row["id"] == str(story.pk))
    assert (row["headline"], row["sources"]) == ("Corrected headline", "")


def test_a_story_gone_from_the_database_keeps_its_row_from_the_index(client, search_archive):
    story = search_archive["Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians"]
    pk = story.pk
    Story.objects.filter(pk=pk).delete()  # deleted without the index hearing of it
    rows = export(client, "q=Raqqa")
    assert len(rows) == total(client, "q=Raqqa")
    assert next(row for row in rows if row["id"] == str(pk))["headline"] == story.headline


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(client, search_archive):
    digest = next(iter(search_archive.values())).digest
    tricky = {
        '=HYPERLINK("http://evil.example","Click")': "'=HYPERLINK(\"http://evil.example\",\"Click\")",
        "+1 soldiers, \"quoted\"\nand a new line": "'+1 soldiers, \"quoted\"\nand a new line",
        "-2 degrees in Zabadani": "'-2 degrees in Zabadani",
        "@SUM(A1) in Zabadani": "'@SUM(A1) in Zabadani",
    }
    stories = [Story.objects.create(digest=digest, position=90 + i, headline=headline,
                                    body=f"Zabadani report {i}.", slug=f"zabadani-{i}")
               for i, headline in enumerate(tricky)]
    update_stories([story.pk for story in stories])
    rows = export(client, "q=Zabadani&sort=oldest")
    assert sorted(row["headline"] for row in rows) == sorted(tricky.values())


@pytest.mark.parametrize("cell, safe", [("=1+1", "'=1+1"), ("+7", "'+7"), ("-7", "'-7"), ("@A1", "'@A1"),
                                         ("\tx", "'\tx"), ("\rx", "'\rx"), ("Aleppo = 1", "Aleppo = 1"), ("", "")])
def test_neutralised(cell, safe):
    assert neutralised(cell) == safe


def test_plain_snippet_unescapes_and_drops_marks():
    assert plain_snippet("<mark>Raqqa</mark> &amp; &lt;b&gt; &quot;x&quot;") == 'Raqqa & <b> "x"'


@pytest.mark.parametrize("query, message", [
    ("q=%22Aleppo", 'The query has an unmatched double quote ("): close the phrase or remove the quote.'),
    ("sort=sideways", "“sideways” is not a sort order; use one of: relevance, newest, oldest."),
    ("from=2015-01-01&to=2014-01-01", "The date range starts (2015-01-01) after it ends (2014-01-01)."),
])
def test_a_bad_search_is_a_400_with_the_searchs_own_message(client, search_archive, query, message):
    response = client.get(f"{EXPORT}?{query}")
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert response.json() == client.get(f"/api/search/?{query}").json()


@pytest.mark.django_db
def test_an_engine_that_fails_is_a_503_before_any_row(client, caplog):
    port = nothing_listens()
    with search_engine({"ENGINE": SOLR_ENGINE, "URL": f"http://127.0.0.1:{port}/solr/archive", "TIMEOUT": 5}):
        response = client.get(f"{EXPORT}?q=Aleppo")
    assert response.status_code == 503
    assert response.json() == {"error": ENGINE_UNAVAILABLE}


@pytest.mark.private
def test_a_private_archive_takes_an_api_token_and_refuses_anonymous_requests(client, search_archive, django_user_model):
    anonymous = client.get(EXPORT)
    assert anonymous.status_code == 401
    user = django_user_model.objects.create_user("analyst")
    user.groups.add(Group.objects.get(name=ANALYSTS))
    authorization = {"HTTP_AUTHORIZATION": f"Token {issue_token(user)}"}
    rows = export(client, "q=Aleppo", **authorization)
    assert len(rows) == client.get("/api/search/?q=Aleppo", **authorization).json()["total"] > 0


def test_an_engine_failing_mid_export_breaks_the_download_off_rather_than_ending_it_short(
    client, search_archive, monkeypatch, caplog
):
    from search import query

    monkeypatch.setattr("search.views.CHUNK", 4)
    real_hit, calls = query.hit, []

    def failing_after_one_chunk(result):
        calls.append(result)
        if len(calls) > 4:
            raise OSError("index file vanished")
        return real_hit(result)

    monkeypatch.setattr(query, "hit", failing_after_one_chunk)
    response = client.get(EXPORT)
    assert response.status_code == 200
    lines = iter(response.streaming_content)
    assert [next(lines) for _ in range(5)]  # the header and the first chunk's four rows
    with pytest.raises(EngineUnavailable):
        next(lines)
    assert "index file vanished" in caplog.text
